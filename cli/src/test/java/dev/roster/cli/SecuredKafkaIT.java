package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.AclCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Roster on a Kafka cluster that authenticates clients (SASL/PLAIN) and authorizes them (ACLs): every role
 * gets its credentials from {@code --kafka-config}, every right it has is one of the ACL lines of
 * docs/operations.md (applied here with kafka-acls.sh's own code), and no role prints a secret, even with
 * Kafka's client logging at INFO.
 */
class SecuredKafkaIT {
    static final String NODE = "node-web";
    static final String HISTORY = "roster-history";
    static final String BUILDER = "roster-builder";

    /** The roles' output stays here after the test, for whoever has to find out why it failed. */
    static final Path LOGS = Path.of("target", "secured-kafka-it");

    @TempDir
    static Path dir;
    static SaslKafka kafka;
    static String topicsOutput;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        Files.createDirectories(LOGS);
        kafka = SaslKafka.start(dir.resolve("broker"), Map.of(NODE, "node-pw-7Hq2", HISTORY, "history-pw-9Xk4",
                BUILDER, "builder-pw-3Mv8"));
        for (String user : List.of(SaslKafka.ADMIN, NODE, HISTORY, BUILDER)) {
            kafka.writeClientConfig(user, config(user));
        }
        applyDocumentedAcls();
        try (RosterProcess topics = RosterProcess.start(log("topics"), "128m", "topics", "create",
                "--bootstrap-server", kafka.bootstrapServers(), "--kafka-config", config(SaslKafka.ADMIN).toString(),
                "--partitions", "2")) {
            int code = topics.awaitExit(Duration.ofSeconds(90));
            topicsOutput = topics.output();
            assertThat(code).as("roster topics create as admin:%n%s", topicsOutput).isZero();
        }
    }

    @AfterAll
    static void stopSecuredKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRoleWorksWithTheRightsTheDocsGiveItAndPrintsNoSecret() throws Exception {
        int apiPort = FreePort.find();
        int nodePort = FreePort.find();
        Path workDir = dir.resolve("haproxy");
        List<RosterProcess> roles = new ArrayList<>();
        try {
            roles.add(role("history-api", "256m", HISTORY, "--http-port", Integer.toString(apiPort),
                    "--state-dir", dir.resolve("history").toString()));
            roles.add(role("config-builder", "128m", BUILDER, "--work-dir", workDir.toString(), "--no-validate"));
            RosterProcess node = role("demo-node", "128m", NODE, "--member", "n1", "--port", Integer.toString(nodePort),
                    "--pool", "web");
            roles.add(node);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> memberNames(apiPort).contains("n1"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(workDir.resolve("haproxy.cfg"))
                            && Files.readString(workDir.resolve("haproxy.cfg")).contains("server n1 127.0.0.1:" + nodePort + " "));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> configVersionKeys().contains("haproxy-1"));

            node.stop();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> history(apiPort, "n1"),
                            types -> types.equals(List.of("member-joined", "member-draining", "member-left")));
        } finally {
            for (RosterProcess role : roles) {
                role.stop();
            }
        }

        List<String> outputs = new ArrayList<>(List.of(topicsOutput));
        for (RosterProcess role : roles) {
            outputs.add(role.output());
        }
        for (String output : outputs) {
            for (String user : List.of(SaslKafka.ADMIN, NODE, HISTORY, BUILDER)) {
                assertThat(output).doesNotContain(kafka.password(user));
            }
            assertThat(output).as("Kafka printed its client settings").contains("sasl.jaas.config = [hidden]");
        }
    }

    @Test
    void aNodeWritesEventsAndHeartbeatsButNothingElseAndCannotReadTheLog() throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(NODE));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS.name(), "web", "{}")).get(20, TimeUnit.SECONDS);
            for (String topic : List.of(Topics.SNAPSHOTS.name(), Topics.CONFIG_VERSIONS.name(), Topics.DEAD_LETTERS.name())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "web", "{}")).get(20, TimeUnit.SECONDS))
                        .as(topic).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            // What ACLs cannot do, as the docs say: a node allowed to write roster.events writes any pool's key.
            producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "some-other-pool", "{}")).get(20, TimeUnit.SECONDS);
        }

        Map<String, Object> consumerProps = new HashMap<>(kafka.clientProperties(NODE));
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.EVENTS.name(), 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static RosterProcess role(String command, String heap, String user, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(command, "--bootstrap-server", kafka.bootstrapServers(),
                "--kafka-config", config(user).toString()));
        all.addAll(List.of(args));
        return RosterProcess.start(log(command), heap, all.toArray(String[]::new));
    }

    private static Path log(String command) throws IOException {
        Path log = LOGS.resolve(command + ".log");
        Files.deleteIfExists(log);
        return log;
    }

    private static Path config(String user) {
        return dir.resolve(user + ".properties");
    }

    /** Runs every kafka-acls.sh line of docs/operations.md against this cluster, as its admin. */
    private static void applyDocumentedAcls() {
        List<List<String>> commands = Repository.commands("docs/operations.md", "kafka-acls.sh");
        assertThat(commands).as("kafka-acls.sh lines in docs/operations.md").hasSizeGreaterThanOrEqualTo(3);
        Exit.setExitProcedure((code, message) -> {
            throw new AssertionError("kafka-acls.sh exited with " + code + ": " + message);
        });
        try {
            for (List<String> command : commands) {
                String[] args = command.subList(1, command.size()).stream()
                        .map(arg -> switch (arg) {
                            case "localhost:9092" -> kafka.bootstrapServers();
                            case "admin.properties" -> config(SaslKafka.ADMIN).toString();
                            default -> arg;
                        })
                        .toArray(String[]::new);
                AclCommand.main(args);
            }
        } finally {
            Exit.resetExitProcedure();
        }
    }

    /** The keys of roster.config-versions, read as admin. */
    private static List<String> configVersionKeys() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(SaslKafka.ADMIN));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONFIG_VERSIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(2))) {
                keys.add(record.key());
            }
        }
        return keys;
    }

    private static List<String> memberNames(int apiPort) {
        JsonNode body = get(apiPort, "/api/pools/web/members");
        return body == null ? List.of() : body.path("members").findValuesAsText("name");
    }

    private static List<String> history(int apiPort, String member) {
        JsonNode body = get(apiPort, "/api/pools/web/members/" + member + "/history");
        return body == null ? List.of() : body.path("events").findValuesAsText("type");
    }

    private static JsonNode get(int port, String path) {
        return StackClient.tryGetJson("http://127.0.0.1:" + port, path).orElse(null);
    }
}
