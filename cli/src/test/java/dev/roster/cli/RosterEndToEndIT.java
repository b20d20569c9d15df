package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end: embedded broker, history-api, config-builder and a real HAProxy,
 * with demo nodes and their agents, exactly as {@code roster up} runs them.
 */
class RosterEndToEndIT {
    @TempDir
    static Path dataDir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackClient.startWithHaproxy(dataDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void nodesJoinAndLeaveHaproxyFollowsAndTheLogRemembers() throws Exception {
        Instant started = Instant.now();
        stack.addNode("s1");
        stack.addNode("s2");
        stack.addNode("s3");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> StackClient.membersAnswering(stack, 30), members -> members.equals(Set.of("s1", "s2", "s3")));

        stack.stopNode("s2");
        assertThat(Files.readString(stack.liveConfig())).as("stopNode returns once a config without s2 is live")
                .doesNotContain("server s2 ");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> StackClient.membersAnswering(stack, 30), members -> members.equals(Set.of("s1", "s3")));
        assertThat(StackClient.membersAnswering(stack, 60)).doesNotContain("s2");

        JsonNode history = StackClient.getJson(stack, "/api/pools/web/members/s2/history").path("events");
        assertThat(history).extracting(e -> e.path("type").asText())
                .containsExactly("member-joined", "member-draining", "member-left");
        Instant joined = Instant.parse(history.get(0).path("at").asText());
        Instant left = Instant.parse(history.get(2).path("at").asText());
        assertThat(joined).isAfterOrEqualTo(started.minusSeconds(1)).isBefore(left);
        assertThat(left).isBeforeOrEqualTo(Instant.now());

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

    private static List<Path> versionFiles() throws IOException {
        try (Stream<Path> files = Files.list(stack.versionsDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cfg")).sorted().toList();
        }
    }
}
