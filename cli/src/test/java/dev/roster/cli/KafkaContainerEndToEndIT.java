package dev.roster.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The scenario of {@link RosterEndToEndIT} on a real Kafka broker in a container (the official apache/kafka
 * image, as compose runs it) instead of the embedded one: the history-api, the config-builder, HAProxy and the
 * nodes run here and reach Kafka over the network. Skipped where no Docker engine answers.
 */
@RequiresDockerEngine
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("KafkaContainerEndToEndIT (needs a Docker engine)")
class KafkaContainerEndToEndIT {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(DockerImageName.parse(DockerImages.KAFKA));

    @TempDir
    static Path dataDir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackClient.startWithHaproxy(dataDir, KAFKA.getBootstrapServers());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void nodesJoinAndLeaveHaproxyFollowsAndTheLogRemembers() throws Exception {
        JoinRouteLeaveScenario.run(JoinRouteLeaveScenario.of(stack), Duration.ofSeconds(10));
    }
}
