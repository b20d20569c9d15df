package dev.roster.config;

import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads {@code roster.events} from Kafka for a rebuild: committed records only (as history-api reads them),
 * no consumer group, from the first offset of each partition. Reports progress about once a second.
 * Records are fetched on a thread of their own ({@link Prefetcher}) while the handler runs on the caller's.
 */
public final class EventLogReader implements EventSource, AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String bootstrapServers;
    private final Consumer<String> progress;

    /**
     * @param kafkaProperties extra client properties (TLS, SASL …), applied last
     * @param progress        receives a line such as "read 250000 of 1000000 records of roster.events (25%)"
     *                        about once a second during long reads
     */
    public EventLogReader(String bootstrapServers, Map<String, String> kafkaProperties, Consumer<String> progress) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-rebuild");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        props.putAll(kafkaProperties);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.bootstrapServers = bootstrapServers;
        this.progress = progress;
    }

    @Override
    public Map<Integer, Long> endOffsets() throws IOException {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.EVENTS.name(), TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IOException("topic " + Topics.EVENTS.name() + " does not exist at " + bootstrapServers);
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            Map<Integer, Long> ends = new TreeMap<>();
            consumer.endOffsets(partitions, TIMEOUT).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        } catch (TimeoutException e) {
            throw new IOException("Kafka at " + bootstrapServers + " did not answer within " + TIMEOUT.toSeconds()
                    + " s: " + e.getMessage(), e);
        }
    }

    @Override
    public void read(Map<Integer, Long> until, RecordHandler handler) throws IOException {
        List<TopicPartition> partitions = new ArrayList<>();
        until.forEach((partition, end) -> {
            if (end > 0) {
                partitions.add(new TopicPartition(Topics.EVENTS.name(), partition));
            }
        });
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        partitions.forEach(tp -> ends.put(tp, until.get(tp.partition())));
        consumer.assign(partitions);
        // A read pauses each partition it has finished; a later read on this reader starts them again.
        consumer.resume(partitions);
        consumer.seekToBeginning(partitions);
        long total = until.values().stream().mapToLong(Long::longValue).sum();
        long read = 0;
        long nextReport = System.nanoTime() + PROGRESS_EVERY_NANOS;
        try (Prefetcher prefetcher = Prefetcher.start(consumer, ends, TIMEOUT, bootstrapServers)) {
            for (ConsumerRecords<String, byte[]> records = prefetcher.next(); records != null;
                 records = prefetcher.next()) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (record.offset() < until.get(record.partition())) {
                        handler.accept(record.partition(), record.offset(), record.key(), record.value());
                        read++;
                    }
                }
                if (System.nanoTime() >= nextReport) {
                    progress.accept(String.format("read %d of %d records of %s (%d%%)", read, total,
                            Topics.EVENTS.name(), total == 0 ? 100 : read * 100 / total));
                    nextReport = System.nanoTime() + PROGRESS_EVERY_NANOS;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + Topics.EVENTS.name());
        }
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
