package dev.roster.cli;

import dev.roster.core.Topic;
import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roster on a Kafka that has none of its topics yet: {@code roster topics create} makes them, and the roles
 * neither fail nor spin there, they wait for the topics or create them.
 */
class TopicsIT {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Every test starts on a Kafka without Roster's topics. */
    @BeforeEach
    void deleteRosterTopics() throws Exception {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();
        kafka.admin().deleteTopics(names).topicNameValues().values().forEach(future -> {
            try {
                future.get();
            } catch (Exception e) {
                // Not there: nothing to delete.
            }
        });
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> kafka.admin().listTopics().names().get().stream().noneMatch(names::contains));
    }

    @Test
    void createsEveryTopicWithItsRetentionAndLeavesExistingOnesAlone() throws Exception {
        Result first = roster("topics", "create", "--bootstrap-server", kafka.bootstrapServers(), "--partitions", "2");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("""
                roster.events            partitions 2   replication 1  created
                roster.heartbeats        partitions 2   replication 1  created
                roster.snapshots         partitions 2   replication 1  created
                roster.config-versions   partitions 2   replication 1  created
                roster.dead-letters      partitions 2   replication 1  created
                """);
        assertThat(config(Topics.EVENTS.name())).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "-1")
                .containsEntry("retention.bytes", "-1");
        assertThat(config(Topics.SNAPSHOTS.name())).containsEntry("cleanup.policy", "compact");

        Result again = roster("topics", "create", "--bootstrap-server", kafka.bootstrapServers(), "--partitions", "5");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out().lines()).hasSize(5)
                .allSatisfy(line -> assertThat(line).contains("partitions 2 ").endsWith("already there, left as it is"));
    }

    @Test
    void refusesEventsAndHeartbeatsWithDifferentPartitionCounts() throws Exception {
        kafka.admin().createTopics(List.of(new NewTopic(Topics.HEARTBEATS.name(), Optional.of(1), Optional.empty())))
                .all().get();
        Result result = roster("topics", "create", "--bootstrap-server", kafka.bootstrapServers(), "--partitions", "3");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("roster topics create: roster.events has 3 partitions but roster.heartbeats "
                + "has 1: both are keyed by pool and must have the same number (alter the smaller one with "
                + "kafka-topics.sh --alter)" + System.lineSeparator());
    }

    @Test
    void historyApiWaitsForTheTopicsSayingWhichAndStartsOnceTheyExist() throws Exception {
        int port = FreePort.find();
        Path log = dir.resolve("history-api-waits.log");
        try (RosterProcess historyApi = RosterProcess.start(log, "256m", "history-api", "--bootstrap-server",
                kafka.bootstrapServers(), "--http-port", Integer.toString(port), "--state-dir",
                dir.resolve("waiting-history").toString(), "--application-id", "topics-it-waiting")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> historyApi.output().contains("history-api: waiting for topics roster.events, "
                            + "roster.heartbeats, roster.snapshots, roster.config-versions, roster.dead-letters (create them with 'roster topics "
                            + "create', or start history-api with --create-topics)"));
            assertThat(historyApi.isAlive()).isTrue();

            assertThat(roster("topics", "create", "--bootstrap-server", kafka.bootstrapServers(), "--partitions", "1")
                    .code()).isZero();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> StackClient.tryGetJson("http://127.0.0.1:" + port, "/health").isPresent());
            assertThat(historyApi.output()).doesNotContain("MissingSourceTopicException");
        }
    }

    @Test
    void configBuilderWithCreateTopicsCreatesThemAndRendersAConfig() throws Exception {
        Path workDir = dir.resolve("builder-creates");
        try (RosterProcess builder = RosterProcess.start(dir.resolve("builder-creates.log"), "128m", "config-builder",
                "--bootstrap-server", kafka.bootstrapServers(), "--create-topics", "--partitions", "1",
                "--work-dir", workDir.toString(), "--no-validate")) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(workDir.resolve("haproxy.cfg")));
            assertThat(kafka.admin().listTopics().names().get())
                    .containsAll(Topics.ALL.stream().map(Topic::name).toList());
            assertThat(builder.isAlive()).isTrue();
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result roster(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Roster.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Map<String, String> config(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        return config.entries().stream().collect(java.util.stream.Collectors.toMap(e -> e.name(), e -> e.value() == null ? "" : e.value()));
    }
}
