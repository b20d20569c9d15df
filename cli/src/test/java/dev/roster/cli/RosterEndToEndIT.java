package dev.roster.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton end to end: embedded broker, history-api, config-builder and a real HAProxy,
 * with demo nodes and their agents, exactly as {@code roster up} runs them. The same scenario runs on a
 * Kafka container ({@link KafkaContainerEndToEndIT}) and on the compose deployment ({@link ComposeEndToEndIT})
 * where a Docker engine is available.
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
        JoinRouteLeaveScenario.run(JoinRouteLeaveScenario.of(stack), Duration.ofSeconds(5));

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
