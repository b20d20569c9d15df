package dev.roster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.cli.FreePort;
import dev.roster.cli.LocalStack;
import dev.roster.cli.Roster;
import dev.roster.config.VersionRecord;
import dev.roster.core.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

@Command(name = "crash", mixinStandardHelpOptions = true,
        description = "kill -9 of a node and its agent → member-failed written → config without it live.")
final class CrashBench implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "20", description = "Runs (default ${DEFAULT-VALUE}).")
    int runs;

    /** When a config without each member went live, by member. */
    private final Map<String, Long> droppedAt = new ConcurrentHashMap<>();
    private final java.util.Set<String> listed = ConcurrentHashMap.newKeySet();
    private volatile Path versionsDir;

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        Stats detected = new Stats("crash → member-failed written");
        Stats dropped = new Stats("crash → config without the member live");
        Random random = new Random(42);
        Path logs = Files.createTempDirectory("roster-bench-crash");
        try (LocalStack stack = BenchStack.start()) {
            versionsDir = stack.versionsDir();
            stack.configBuilder().addListener(this::watch);
            for (int run = 1; run <= runs; run++) {
                String member = "c" + run;
                Process node = startNode(stack, member, FreePort.find(), logs.resolve(member + ".log"));
                try {
                    BenchStack.awaitTrue(member + " routable", 60_000,
                            () -> member.equals(Probe.member(stack.frontendUrl(), "crash")));
                    // A crash comes at any moment between two heartbeats.
                    Thread.sleep(500 + random.nextInt(500));
                    Instant crashedAt = Instant.now();
                    long crashed = System.nanoTime();
                    node.destroyForcibly().waitFor();
                    BenchStack.awaitTrue(member + " dropped from the config", 30_000,
                            () -> droppedAt.containsKey(member));
                    Instant failedAt = failedAt(stack, member);
                    long detectMs = java.time.Duration.between(crashedAt, failedAt).toMillis();
                    long dropNanos = droppedAt.get(member) - crashed;
                    detected.add(detectMs);
                    dropped.addNanos(dropNanos);
                    System.out.printf("run %2d: member-failed after %d ms, config without it live after %.0f ms%n",
                            run, detectMs, dropNanos / 1e6);
                } finally {
                    node.destroyForcibly().waitFor();
                }
            }
        }
        System.out.println(detected.line());
        System.out.println(dropped.line());
        return 0;
    }

    /** Notes, for each applied config, which crash members it lists and which it no longer lists. */
    private void watch(VersionRecord record) {
        long now = System.nanoTime();
        if (!record.applied()) {
            return;
        }
        try {
            String text = Files.readString(versionsDir.resolve(String.format("haproxy-%06d.cfg", record.version())));
            for (int run = 1; run <= runs; run++) {
                String member = "c" + run;
                if (text.contains("server " + member + " ")) {
                    listed.add(member);
                } else if (listed.contains(member)) {
                    droppedAt.putIfAbsent(member, now);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Process startNode(LocalStack stack, String member, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Roster.class.getName(), "demo-node", "--member", member,
                "--port", Integer.toString(port), "--pool", "crash", "--bootstrap-server", stack.bootstrapServers());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static Instant failedAt(LocalStack stack, String member) throws IOException {
        JsonNode events = Json.MAPPER.readTree(URI.create(stack.apiUrl() + "/api/pools/crash/members/" + member
                + "/history").toURL()).path("events");
        for (JsonNode event : events) {
            if (event.path("type").asText().equals("member-failed")) {
                return Instant.parse(event.path("at").asText());
            }
        }
        throw new IllegalStateException("no member-failed in the history of " + member);
    }
}
