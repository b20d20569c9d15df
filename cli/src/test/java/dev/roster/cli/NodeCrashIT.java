package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node killed with SIGKILL sends nothing: the failure detector must notice, and HAProxy must follow. */
class NodeCrashIT extends OnLocalStack {
    @BeforeAll
    static void addSteadyNode() throws Exception {
        stack.addNode("steady");
    }

    @Test
    void crashedNodeIsDeclaredFailedDroppedFromHaproxyAndAdmittedAgainOnRestart() throws Exception {
        int port = FreePort.find();
        Path log = dataDir.resolve("crash-node.log");
        ChildNode node = ChildNode.start(stack.bootstrapServers(), "web", "crashy", port, log);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> StackClient.membersAnswering(stack, 10).contains("crashy"));

            Instant crashed = Instant.now();
            node.crash();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> types(history("crashy")).contains("member-failed"));
            JsonNode failed = history("crashy").get(types(history("crashy")).indexOf("member-failed"));
            Duration detectedAfter = Duration.between(crashed, Instant.parse(failed.path("at").asText()));
            // Default timeout 2 s without a heartbeat, + 1 s allowed for the detector to notice and write.
            assertThat(detectedAfter).isLessThanOrEqualTo(Duration.ofSeconds(3));

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !Files.readString(stack.liveConfig()).contains("server crashy "));
            assertThat(StackClient.membersAnswering(stack, 20)).containsExactly("steady");

            node = ChildNode.start(stack.bootstrapServers(), "web", "crashy", port, log);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> StackClient.membersAnswering(stack, 10).contains("crashy"));
            assertThat(types(history("crashy"))).containsExactly("member-joined", "member-failed", "member-joined");
        } finally {
            node.close();
        }
    }

    private static JsonNode history(String member) throws Exception {
        return StackClient.getJson(stack, "/api/pools/web/members/" + member + "/history").path("events");
    }

    private static List<String> types(JsonNode events) {
        return events.findValuesAsText("type");
    }
}
