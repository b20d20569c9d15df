package dev.roster.config;

import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link EventLogReader} on a real broker: records reach the handler on the caller's thread, each partition
 * in log order and up to the offsets asked for, though they are fetched on a thread of their own.
 */
class EventLogReaderIT {
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PARTITION = 300;
    /** Far smaller batches than a rebuild polls, so that a read goes through many of them. */
    private static final Map<String, String> SMALL_BATCHES = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7");

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBrokerWithLog() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopic(Topics.EVENTS.name(), PARTITIONS, Topics.EVENTS.config());
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(new ProducerRecord<>(Topics.EVENTS.name(), p, "pool-" + p,
                            ("record " + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** What a handler saw, per partition: the offsets in the order given, and the thread it ran on. */
    private static final class Seen {
        final Map<Integer, List<Long>> offsets = new TreeMap<>();
        final List<String> values = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        void add(int partition, long offset, byte[] value) {
            offsets.computeIfAbsent(partition, p -> new ArrayList<>()).add(offset);
            values.add(partition + ":" + new String(value, StandardCharsets.UTF_8));
            if (!threads.contains(Thread.currentThread())) {
                threads.add(Thread.currentThread());
            }
        }
    }

    private static List<Long> offsets(long until) {
        List<Long> offsets = new ArrayList<>();
        for (long offset = 0; offset < until; offset++) {
            offsets.add(offset);
        }
        return offsets;
    }

    @Test
    void handsEachPartitionOverInLogOrderUpToTheOffsetsAskedForOnTheCallersThread() throws Exception {
        try (EventLogReader reader = new EventLogReader(kafka.bootstrapServers(), SMALL_BATCHES, line -> { })) {
            assertThat(reader.endOffsets()).isEqualTo(Map.of(0, 300L, 1, 300L, 2, 300L));
            Seen seen = new Seen();
            reader.read(Map.of(0, 300L, 1, 123L, 2, 0L), (partition, offset, key, value) -> {
                assertThat(key).isEqualTo("pool-" + partition);
                seen.add(partition, offset, value);
            });
            assertThat(seen.offsets).isEqualTo(Map.of(0, offsets(300), 1, offsets(123)));
            assertThat(seen.values).contains("0:record 0", "0:record 299", "1:record 122")
                    .doesNotContain("1:record 123");
            assertThat(seen.threads).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void readsAgainAfterAWholeReadAndAfterAHandlerThatFailedWithItsException() throws Exception {
        Map<Integer, Long> all = Map.of(0, 300L, 1, 300L, 2, 300L);
        Map<Integer, List<Long>> everything = Map.of(0, offsets(300), 1, offsets(300), 2, offsets(300));
        try (EventLogReader reader = new EventLogReader(kafka.bootstrapServers(), SMALL_BATCHES, line -> { })) {
            Seen whole = new Seen();
            reader.read(all, (partition, offset, key, value) -> whole.add(partition, offset, value));
            assertThat(whole.offsets).isEqualTo(everything);

            IllegalStateException failure = new IllegalStateException("handler failed");
            Seen cut = new Seen();
            assertThatThrownBy(() -> reader.read(all, (partition, offset, key, value) -> {
                cut.add(partition, offset, value);
                if (cut.values.size() == 50) {
                    throw failure;
                }
            })).isSameAs(failure);
            assertThat(cut.values).hasSize(50);

            Seen again = new Seen();
            reader.read(all, (partition, offset, key, value) -> again.add(partition, offset, value));
            assertThat(again.offsets).isEqualTo(everything);
        }
    }
}
