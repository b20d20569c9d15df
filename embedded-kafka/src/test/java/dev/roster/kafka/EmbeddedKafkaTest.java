package dev.roster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One broker for the whole class; every test uses topics and ids of its own. */
@ExtendWith(JvmExitGuard.class)
class EmbeddedKafkaTest {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void bootstrapServersIsLoopbackWithItsPort() {
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
        assertThat(kafka.dataDir()).isEqualTo(dataDir.toAbsolutePath());
    }

    @Test
    void committedTransactionIsReadByReadCommittedConsumer(TestInfo test) {
        String topic = topicFor(test);
        kafka.createTopic(topic, 2, Map.of());

        try (var producer = TestRecords.producer(kafka.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "member-" + i, "joined " + i));
            }
            producer.commitTransaction();
        }

        // commitTransaction() returns once the coordinator has logged the commit; the commit
        // markers that make the records visible to read_committed follow a moment later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TestRecords.readToEnd(kafka.bootstrapServers(), topic, "read_committed"))
                        .containsExactlyElementsOf(IntStream.range(0, 10)
                                .mapToObj(i -> Map.entry("member-" + i, "joined " + i))
                                .toList()));
    }

    @Test
    void abortedTransactionIsInvisibleToReadCommittedConsumer(TestInfo test) {
        String topic = topicFor(test);
        kafka.createTopic(topic, 1, Map.of());

        try (var producer = TestRecords.producer(kafka.bootstrapServers(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "member-a", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "member-b", "committed"));
            producer.commitTransaction();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(TestRecords.readToEnd(kafka.bootstrapServers(), topic, "read_committed"))
                        .containsExactly(Map.entry("member-b", "committed")));
        assertThat(TestRecords.readToEnd(kafka.bootstrapServers(), topic, "read_uncommitted"))
                .containsExactly(Map.entry("member-a", "aborted"), Map.entry("member-b", "committed"));
    }

    @Test
    void exactlyOnceStreamsWritesEveryRecordOnce(TestInfo test, @TempDir Path stateDir) {
        String input = topicFor(test) + "-in";
        String output = topicFor(test) + "-out";
        kafka.createTopic(input, 1, Map.of());
        kafka.createTopic(output, 1, Map.of());

        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> value.toUpperCase())
                .to(output, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topicFor(test));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        List<Map.Entry<String, String>> expected = IntStream.range(0, 20)
                .mapToObj(i -> Map.entry("member-" + i, "JOINED " + i))
                .toList();
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            try (var producer = TestRecords.producer(kafka.bootstrapServers(), Map.of())) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(input, "member-" + i, "joined " + i));
                }
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(TestRecords.readToEnd(kafka.bootstrapServers(), output, "read_committed"))
                            .containsExactlyElementsOf(expected));
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void createTopicAgainKeepsTheExistingTopic(TestInfo test) throws Exception {
        String topic = topicFor(test);
        kafka.createTopic(topic, 2, Map.of("cleanup.policy", "compact"));

        kafka.createTopic(topic, 1, Map.of());

        TopicDescription description = kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(2);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        ConfigEntry cleanupPolicy = kafka.admin().describeConfigs(List.of(resource)).all().get()
                .get(resource).get("cleanup.policy");
        assertThat(cleanupPolicy.value()).isEqualTo("compact");
    }

    private static String topicFor(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName();
    }
}
