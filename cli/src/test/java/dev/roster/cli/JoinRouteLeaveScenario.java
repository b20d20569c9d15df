package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton's scenario, on any deployment of Roster: three nodes join and HAProxy routes to all
 * three; one leaves and HAProxy stops routing to it; the log remembers when it joined and when it left.
 * The embedded stack, the stack on a Kafka container and the compose deployment all run it.
 */
final class JoinRouteLeaveScenario {
    /** What the scenario needs of a deployment. */
    interface Deployment {
        /** HAProxy's frontend, such as {@code http://127.0.0.1:8080}. */
        String frontendUrl();

        /** The history-api, such as {@code http://127.0.0.1:8070}. */
        String apiUrl();

        /** Starts (or finds started) three nodes of pool {@code web}; returns their member names. */
        List<String> startThreeNodes() throws Exception;

        /** When the nodes began to start: no join of theirs can be older. */
        Instant nodesStartedAt();

        /** Stops a node the way an operator would: its agent announces the leave. */
        void stopNode(String member) throws Exception;
    }

    private JoinRouteLeaveScenario() {
    }

    /**
     * @param routingTimeout how long HAProxy may take to follow a change (the embedded stack needs far less than
     *                       containers on a busy machine)
     * @return the member that left
     */
    static String run(Deployment deployment, Duration routingTimeout) throws Exception {
        List<String> members = deployment.startThreeNodes();
        assertThat(members).hasSize(3).doesNotHaveDuplicates();
        await().atMost(routingTimeout).pollInterval(Duration.ofMillis(50))
                .until(() -> StackClient.membersAnswering(deployment.frontendUrl(), 30), Set.copyOf(members)::equals);

        String leaving = members.get(1);
        Set<String> staying = new HashSet<>(members);
        staying.remove(leaving);
        deployment.stopNode(leaving);
        await().atMost(routingTimeout).pollInterval(Duration.ofMillis(50))
                .until(() -> StackClient.membersAnswering(deployment.frontendUrl(), 30), staying::equals);
        assertThat(StackClient.membersAnswering(deployment.frontendUrl(), 60)).doesNotContain(leaving);

        JsonNode history = StackClient.getJson(deployment.apiUrl(), "/api/pools/web/members/" + leaving + "/history")
                .path("events");
        // A graceful stop drains the node before it leaves.
        assertThat(history).extracting(e -> e.path("type").asText())
                .containsExactly("member-joined", "member-draining", "member-left");
        Instant joined = Instant.parse(history.get(0).path("at").asText());
        Instant left = Instant.parse(history.get(2).path("at").asText());
        assertThat(joined).isAfterOrEqualTo(deployment.nodesStartedAt().minusSeconds(1)).isBefore(left);
        assertThat(left).isBeforeOrEqualTo(Instant.now());
        return leaving;
    }

    /** The scenario's view of a {@link LocalStack}: nodes s1, s2, s3 in this JVM, stopped with {@link LocalStack#stopNode}. */
    static Deployment of(LocalStack stack) {
        return new Deployment() {
            private Instant started;

            @Override
            public String frontendUrl() {
                return stack.frontendUrl();
            }

            @Override
            public String apiUrl() {
                return stack.apiUrl();
            }

            @Override
            public List<String> startThreeNodes() throws Exception {
                started = Instant.now();
                for (String member : List.of("s1", "s2", "s3")) {
                    stack.addNode(member);
                }
                return List.of("s1", "s2", "s3");
            }

            @Override
            public Instant nodesStartedAt() {
                return started;
            }

            @Override
            public void stopNode(String member) throws Exception {
                stack.stopNode(member);
                assertThat(Files.readString(stack.liveConfig()))
                        .as("stopNode returns once a config without %s is live", member)
                        .doesNotContain("server " + member + " ");
            }
        };
    }
}
