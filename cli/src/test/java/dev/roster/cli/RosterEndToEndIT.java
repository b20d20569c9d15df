package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.config.Sha256;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: embedded broker, history-api, config-builder and a real HAProxy,
 * with demo nodes and their agents, exactly as {@code roster up} runs them. The same scenario runs on a
 * Kafka container ({@link KafkaContainerEndToEndIT}) and on the compose deployment ({@link ComposeEndToEndIT})
 * where a Docker engine is available.
 */
class RosterEndToEndIT extends OnLocalStack {
    @Test
    void nodesJoinAndLeaveHaproxyFollowsAndTheLogRemembers() throws Exception {
        JoinRouteLeaveScenario.run(JoinRouteLeaveScenario.of(stack), Duration.ofSeconds(5));
        // The first join (a new pool) went live through a reload, which the config versions report and /metrics
        // sums up; the joins and leaves after it through the runtime API, without one.
        await().atMost(Duration.ofSeconds(10)).until(() -> reloadsInMetrics() >= 1);
        assertThat(activations()).contains("reload", "runtime-api");

        List<Path> versions = versionFiles();
        assertThat(versions).hasSizeGreaterThanOrEqualTo(3);
        Set<String> distinct = new HashSet<>();
        for (Path version : versions) {
            assertThat(distinct.add(Files.readString(version))).as("%s is a config no other version has", version).isTrue();
            Process check = new ProcessBuilder("haproxy", "-c", "-f", version.toString()).redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as("haproxy -c %s: %s", version, output).isZero();
        }
        assertThat(Files.readString(stack.liveConfig())).isEqualTo(Files.readString(versions.get(versions.size() - 1)));
    }

    @Test
    void theHistoryApiAndTheCliShowTheConfigVersionsTheBuilderWrote() throws Exception {
        stack.addNode("c1");
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                List<Long> onDisk = new ArrayList<>();
                for (Path file : versionFiles()) {
                    onDisk.add(Long.parseLong(file.getFileName().toString().replaceAll("\\D", "")));
                }
                JsonNode listed = StackClient.getJson(stack, "/api/configs").path("versions");
                assertThat(listed).extracting(v -> v.path("version").asLong()).containsExactlyElementsOf(onDisk);
                assertThat(Files.readString(stack.liveConfig())).contains("server c1 ");
                assertThat(StackClient.getJson(stack, "/api/configs/live").path("manifest").path("sha256").asText())
                        .isEqualTo(Sha256.hex(Files.readString(stack.liveConfig())));
            });
            for (Path file : versionFiles()) {
                long version = Long.parseLong(file.getFileName().toString().replaceAll("\\D", ""));
                assertThat(StackClient.getJson(stack, "/api/configs/" + version).path("config").asText())
                        .as("version %d as published", version).isEqualTo(Files.readString(file));
            }

            String api = "--api=" + stack.apiUrl();
            Cli members = Cli.run("history", "members", api, "--pool", "web");
            assertThat(members.code()).as(members.err()).isZero();
            assertThat(members.out().lines().skip(1).findFirst().orElseThrow().split(" +"))
                    .containsExactly("NAME", "ADDRESS", "PORT", "WEIGHT", "STATE", "TAGS");
            assertThat(members.out().lines().filter(line -> line.startsWith("c1 ")))
                    .singleElement().asString().contains(" 127.0.0.1 ", " active");
            Cli history = Cli.run("history", "member", api, "web/c1");
            assertThat(history.out().lines().skip(1)).singleElement().asString().contains("member-joined");
            Cli configs = Cli.run("history", "configs", api);
            assertThat(configs.out().lines().skip(2).map(line -> line.split(" +")[0]).toList())
                    .containsExactlyElementsOf(versionFiles().stream()
                            .map(f -> String.valueOf(Long.parseLong(f.getFileName().toString().replaceAll("\\D", ""))))
                            .toList());
            Cli diff = Cli.run("history", "diff", api, "1", "2");
            assertThat(diff.code()).as(diff.err()).isZero();
            assertThat(diff.out()).startsWith("--- haproxy-000001.cfg\n+++ haproxy-000002.cfg\n@@ ");
        } finally {
            stack.stopNode("c1");
        }
    }

    /** One run of the roster command line, as a user would type it. */
    private record Cli(int code, String out, String err) {
        static Cli run(String... args) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = Roster.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            return new Cli(code, out.toString(), err.toString());
        }
    }

    private static List<Path> versionFiles() throws IOException {
        try (Stream<Path> files = Files.list(stack.versionsDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList();
        }
    }

    @Test
    void drainCommandMarksTheMemberOfARunningAgentDraining() throws Exception {
        Path stateDir = dataDir.resolve("agent-state");
        try (DemoNode web = DemoNode.start("d1", "127.0.0.1", 0);
             dev.roster.agent.Agent agent = new dev.roster.agent.Agent(dev.roster.agent.AgentSettings.defaults(
                     stack.bootstrapServers(), "drainers", "d1", "127.0.0.1", web.port())
                     .withShutdownWaits(Duration.ZERO, Duration.ZERO),
                     dev.roster.agent.AgentStateFile.of(stateDir, "drainers", "d1")).start()) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int updated = Roster.run(new String[] {"agent", "update", "--pool", "drainers", "--member", "d1",
                    "--weight", "7", "--state-dir", stateDir.toString(), "--bootstrap-server", stack.bootstrapServers()},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            assertThat(updated).as(err.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    StackClient.getJson(stack, "/api/pools/drainers/members").path("members").path(0).path("weight")
                            .asInt() == 7);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(stack.liveConfig()))
                    .containsPattern("(?m)^    server d1 127\\.0\\.0\\.1:" + web.port()
                            + " id \\d+ check inter 1s fall 2 rise 2 weight 7$"));

            int code = Roster.run(new String[] {"agent", "drain", "--pool", "drainers", "--member", "d1",
                    "--state-dir", stateDir.toString(), "--bootstrap-server", stack.bootstrapServers()},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            assertThat(code).as(err.toString()).isZero();

            await().atMost(Duration.ofSeconds(10)).until(() ->
                    StackClient.getJson(stack, "/api/pools/drainers/members").path("members").path(0).path("state")
                            .asText().equals("draining"));
            JsonNode history = StackClient.getJson(stack, "/api/pools/drainers/members/d1/history").path("events");
            assertThat(history.findValuesAsText("incarnation")).containsOnly(Long.toString(agent.incarnation()));
        }
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Roster.run(new String[] {"agent", "drain", "--pool", "drainers", "--member", "d1",
                "--state-dir", stateDir.toString(), "--bootstrap-server", stack.bootstrapServers()},
                new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true));
        assertThat(code).isEqualTo(Roster.BAD_INPUT);
        assertThat(err.toString()).startsWith("roster agent drain: no running agent recorded at ");
    }

    @Test
    void everyPoolIsItsOwnBackendChosenByTheHostHeader() throws Exception {
        try (DemoNode shop = DemoNode.start("shop-1", "127.0.0.1", 0);
             DemoNode api = DemoNode.start("api-1", "127.0.0.1", 0);
             dev.roster.agent.Agent shopAgent = new dev.roster.agent.Agent(dev.roster.agent.AgentSettings.defaults(
                     stack.bootstrapServers(), "shop", "shop-1", "127.0.0.1", shop.port())
                     .withShutdownWaits(Duration.ZERO, Duration.ZERO)).start();
             dev.roster.agent.Agent apiAgent = new dev.roster.agent.Agent(dev.roster.agent.AgentSettings.defaults(
                     stack.bootstrapServers(), "api", "api-1", "127.0.0.1", api.port())
                     .withShutdownWaits(Duration.ZERO, Duration.ZERO)).start()) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                    "shop-1".equals(StackClient.memberAnsweringHost(stack, "shop.example.com"))
                            && "api-1".equals(StackClient.memberAnsweringHost(stack, "api.example.com")));
            for (int i = 0; i < 10; i++) {
                assertThat(StackClient.memberAnsweringHost(stack, "shop.example.com")).isEqualTo("shop-1");
                assertThat(StackClient.memberAnsweringHost(stack, "API.internal:8080")).isEqualTo("api-1");
            }
            String live = Files.readString(stack.liveConfig());
            assertThat(live).contains("backend shop\n", "backend api\n");
        }
    }

    /** How each version on disk went live, as its manifest says. */
    private static List<String> activations() throws IOException {
        List<String> activations = new ArrayList<>();
        try (Stream<Path> files = Files.list(stack.versionsDir())) {
            for (Path manifest : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                activations.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile())
                        .path("activation").asText());
            }
        }
        return activations;
    }

    private static long reloadsInMetrics() throws IOException {
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("roster_config_reload_seconds_count ([0-9.]+)")
                .matcher(StackClient.getText(stack, "/metrics"));
        return count.find() ? (long) Double.parseDouble(count.group(1)) : -1;
    }
}
