package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.DeadLetter;
import dev.roster.core.Json;
import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records written straight to roster.events, bypassing the agent: nothing malformed or hostile may
 * reach a member set or haproxy.cfg, and every one of them must be accounted for in the dead letters.
 */
class HostileInputIT extends OnLocalStack {
    /** Appears in every injection attempt, so a leak into a config is easy to find. */
    private static final String MARK = "pwned";

    @BeforeAll
    static void addSteadyNode() throws Exception {
        stack.addNode("good");
    }

    private static ObjectNode validJoin(String id) {
        ObjectNode join = Json.MAPPER.createObjectNode();
        join.put("schema", 1).put("type", "member-joined").put("id", id).put("pool", "web").put("member", "m-" + id)
                .put("incarnation", 1).put("at", "2026-11-27T10:00:00Z").put("source", "test")
                .put("address", "127.0.0.1").put("port", 9999).put("weight", 10);
        join.putObject("tags").put("zone", "a");
        return join;
    }

    private static byte[] mutated(String id, Consumer<ObjectNode> mutation) {
        ObjectNode event = validJoin(id);
        mutation.accept(event);
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** At least 40 records, each invalid for its own reason. */
    private static Map<String, byte[]> hostileRecords() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        Stream.of("", "{", "null", "[]", "\"member-joined\"", "42", "{\"schema\":1,\"schema\":1}",
                        "{\"schema\":1,\"type\":\"member-joined\"} trailing " + MARK)
                .forEach(raw -> records.put("raw " + raw, raw.getBytes(StandardCharsets.UTF_8)));
        records.put("invalid UTF-8", new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'});
        String[] badNames = {"s1\nbackend " + MARK, "s1\r" + MARK, "s1 " + MARK, "s1#" + MARK, "s1\"" + MARK,
                "s1'" + MARK, "{" + MARK + "}", "s1\\" + MARK, "s1\u0001" + MARK, "s\u00e9" + MARK, "-" + MARK,
                MARK.repeat(20)};
        for (int i = 0; i < badNames.length; i++) {
            String name = badNames[i];
            records.put("member " + Arrays.toString(name.getBytes(StandardCharsets.UTF_8)),
                    mutated("bm" + i, e -> e.put("member", name)));
        }
        records.put("pool with newline", mutated("bp", e -> e.put("pool", "web\nfrontend " + MARK)));
        String[] badAddresses = {"127.0.0.1\n    server " + MARK + " 6.6.6.6:80", "256.1.1.1", "host " + MARK,
                MARK + ";reboot", "-" + MARK, MARK + "..example", "1.2.3.4:80", "[::1]", ""};
        for (int i = 0; i < badAddresses.length; i++) {
            String address = badAddresses[i];
            records.put("address " + address, mutated("ba" + i, e -> e.put("address", address)));
        }
        records.put("port 0", mutated("p0", e -> e.put("port", 0)));
        records.put("port 65536", mutated("p1", e -> e.put("port", 65536)));
        records.put("port as text", mutated("p2", e -> e.put("port", "80")));
        records.put("port fraction", mutated("p3", e -> e.put("port", 80.5)));
        records.put("weight -1", mutated("w0", e -> e.put("weight", -1)));
        records.put("weight 257", mutated("w1", e -> e.put("weight", 257)));
        records.put("unknown type", mutated("t0", e -> e.put("type", "member-exploded")));
        records.put("newer schema", mutated("t1", e -> e.put("schema", 99)));
        records.put("no schema", mutated("t2", e -> e.remove("schema")));
        records.put("no id", mutated("f0", e -> e.remove("id")));
        records.put("no address", mutated("f1", e -> e.remove("address")));
        records.put("negative incarnation", mutated("f2", e -> e.put("incarnation", -5)));
        records.put("time not ISO-8601", mutated("f3", e -> e.put("at", "yesterday " + MARK)));
        records.put("tag value with newline", mutated("g0", e -> e.putObject("tags").put("zone", "a\n" + MARK)));
        records.put("tag key with space", mutated("g1", e -> e.putObject("tags").put("zo ne", "a")));
        return records;
    }

    @Test
    void hostileRecordsGoToDeadLettersAndNeverReachMemberSetsOrConfigs() throws Exception {
        // Settled: the newest version is applied (reload done) and built from the pool as the API shows it.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            long poolVersion = StackClient.getJson(stack, "/api/pools/web/members").path("version").asLong();
            return Files.readString(stack.liveConfig()).contains("server good ")
                    && stack.configBuilder().latestRecord()
                    .filter(r -> r.applied() && r.poolVersions().getOrDefault("web", -1L) == poolVersion).isPresent();
        });
        JsonNode membersBefore = StackClient.getJson(stack, "/api/pools/web/members");
        long versionsBefore = stack.configBuilder().latestVersion().orElseThrow();
        String liveBefore = Files.readString(stack.liveConfig());

        Map<String, byte[]> hostile = hostileRecords();
        assertThat(hostile).hasSizeGreaterThanOrEqualTo(40);
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] value : hostile.values()) {
                sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "web", value)).get());
            }
            // A valid event whose key is not its pool: the order of its pool could not be kept.
            sent.add(producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "other",
                    mutated("k0", e -> { }))).get());
        }
        int expected = sent.size();

        Map<Long, DeadLetter> letters = readDeadLetters(expected);
        assertThat(letters).hasSize(expected);
        List<byte[]> values = new ArrayList<>(hostile.values());
        values.add(mutated("k0", e -> { }));
        for (int i = 0; i < expected; i++) {
            RecordMetadata origin = sent.get(i);
            DeadLetter letter = letters.get(origin.offset());
            assertThat(letter).as("dead letter for offset %d", origin.offset()).isNotNull();
            assertThat(letter.topic()).isEqualTo(Topics.EVENTS.name());
            assertThat(letter.partition()).isEqualTo(origin.partition());
            assertThat(letter.value()).as("raw bytes of offset %d", origin.offset()).isEqualTo(values.get(i));
            assertThat(letter.reason()).isNotBlank().doesNotContain("\n").doesNotContain("\r");
        }
        assertThat(letters.get(sent.get(expected - 1).offset()).reason())
                .isEqualTo("record key \"other\" does not match pool web");

        String metrics = StackClient.getText(stack, "/metrics");
        assertThat(metrics).containsPattern("roster_dead_letters_total " + expected + "(\\.0)?\\n");
        assertThat(StackClient.getJson(stack, "/api/pools/web/members")).isEqualTo(membersBefore);
        assertThat(stack.configBuilder().latestVersion()).hasValue(versionsBefore);
        assertThat(Files.readString(stack.liveConfig())).isEqualTo(liveBefore).doesNotContain(MARK);
        try (Stream<Path> versions = Files.list(stack.versionsDir())) {
            for (Path version : versions.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(version)).as("%s", version).doesNotContain(MARK);
            }
        }
    }

    /** Reads roster.dead-letters until {@code count} letters of roster.events are in, by source offset. */
    private static Map<Long, DeadLetter> readDeadLetters(int count) {
        Map<Long, DeadLetter> letters = new HashMap<>();
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(props,
                Topics.DEAD_LETTERS.keySerde().deserializer(), Topics.DEAD_LETTERS.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(Topics.DEAD_LETTERS.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (letters.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().topic().equals(Topics.EVENTS.name())) {
                        letters.put(record.value().offset(), record.value());
                    }
                });
            }
        }
        return letters;
    }
}
