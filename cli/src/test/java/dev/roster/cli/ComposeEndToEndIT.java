package dev.roster.cli;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scenario of {@link RosterEndToEndIT} on the compose deployment itself, images built from this
 * repository: {@code docker compose up --scale webapp=3}, then one webapp container is stopped as
 * {@code docker compose stop} would. Skipped where no Docker engine answers or docker compose is missing.
 * The first run builds the images (a Maven build inside Docker), which takes minutes.
 */
@RequiresDockerEngine(compose = true)
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("ComposeEndToEndIT (needs a Docker engine and docker compose)")
class ComposeEndToEndIT {
    static final Duration STARTUP = Duration.ofMinutes(30);
    static ComposeContainer compose;
    static Instant started;

    @BeforeAll
    static void composeUp() {
        compose = new ComposeContainer(Repository.root().resolve("compose/docker-compose.yml").toFile())
                .withBuild(true)
                .withScaledService("webapp", 3)
                // Free host ports: the defaults (8080, 8070) may be taken on a test machine.
                .withEnv("FRONTEND_PORT", "0")
                .withEnv("API_PORT", "0")
                // Kafka advertises the host port it is published on, so that one has to be known.
                .withEnv("KAFKA_PORT", Integer.toString(FreePort.find()))
                .withEnv("KAFKA_IMAGE", DockerImages.KAFKA)
                .waitingFor("history-api", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .waitingFor("haproxy", Wait.forHealthcheck().withStartupTimeout(STARTUP))
                .withStartupTimeout(STARTUP);
        started = Instant.now();
        compose.start();
    }

    @AfterAll
    static void composeDown() {
        if (compose != null) {
            compose.stop();
        }
    }

    @Test
    void webappContainersJoinAndLeaveHaproxyFollowsAndTheLogRemembers() throws Exception {
        String frontend = url(service("haproxy"), 8080);
        String api = url(service("history-api"), 8070);
        JoinRouteLeaveScenario.run(new JoinRouteLeaveScenario.Deployment() {
            @Override
            public String frontendUrl() {
                return frontend;
            }

            @Override
            public String apiUrl() {
                return api;
            }

            /** compose started three webapp containers; their member names are their host names. */
            @Override
            public List<String> startThreeNodes() {
                return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> members(api), members -> members.size() == 3);
            }

            @Override
            public Instant nodesStartedAt() {
                return started;
            }

            @Override
            public void stopNode(String member) {
                DockerClient docker = DockerClientFactory.instance().client();
                Container container = webappContainers(docker).stream()
                        .filter(c -> member.equals(docker.inspectContainerCmd(c.getId()).exec().getConfig().getHostName()))
                        .findFirst().orElseThrow(() -> new AssertionError("no webapp container named " + member));
                docker.stopContainerCmd(container.getId()).withTimeout(20).exec();
            }
        }, Duration.ofSeconds(30));
    }

    /** The webapp containers of this compose project. */
    private static List<Container> webappContainers(DockerClient docker) {
        String project = service("haproxy").getContainerInfo().getConfig().getLabels().get("com.docker.compose.project");
        return docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.compose.project", project, "com.docker.compose.service", "webapp"))
                .exec();
    }

    private static ContainerState service(String name) {
        Optional<ContainerState> state = compose.getContainerByServiceName(name + "-1");
        return state.or(() -> compose.getContainerByServiceName(name))
                .orElseThrow(() -> new AssertionError("compose has no running service " + name));
    }

    private static String url(ContainerState container, int port) {
        return "http://" + container.getHost() + ":" + container.getMappedPort(port);
    }

    private static List<String> members(String api) {
        return StackClient.tryGetJson(api, "/api/pools/web/members")
                .map(body -> body.path("members").findValuesAsText("name")).orElse(List.of());
    }
}
