package dev.roster.agent;

import dev.roster.core.ConfigVersion;
import dev.roster.core.Member;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * Watches roster.snapshots and roster.config-versions from "now" on, to tell when the load balancer
 * runs a config in which the pool is as the agent wants it (this member draining, or gone). Created
 * before the agent publishes the event it waits for, so nothing after that event is missed.
 */
final class AppliedConfigWatcher implements AutoCloseable {
    private final String pool;
    private final String rowKey;
    private final KafkaConsumer<String, byte[]> consumer;
    /** The pool version the awaited snapshot had, once seen. */
    private long target = -1;
    /** The highest pool version an applied config was built from, seen since the watcher started. */
    private long applied = -1;

    AppliedConfigWatcher(AgentSettings settings) {
        this.pool = settings.pool();
        this.rowKey = SnapshotFollower.memberKey(settings.pool(), settings.member());
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-agent-watch-" + settings.pool() + "-" + settings.member());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(settings.kafka());
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.SNAPSHOTS.name(), Topics.CONFIG_VERSIONS.name())) {
                consumer.partitionsFor(topic, settings.ackTimeout())
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end offsets now, before the awaited event is published.
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Waits until this member's row on roster.snapshots matches {@code wanted} (the member as served, null
     * once it is not a member), and an applied config built from the pool version that row belongs to (the
     * pool's next head), or a later one, is on roster.config-versions.
     *
     * @return false when that did not happen within {@code timeout}
     */
    boolean awaitApplied(Predicate<Member> wanted, Duration timeout) {
        target = -1;
        boolean matched = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(50));
            for (ConsumerRecord<String, byte[]> record : records.records(Topics.SNAPSHOTS.name())) {
                if (target >= 0) {
                    break;
                }
                if (rowKey.equals(record.key())) {
                    matched = rowMatches(record.value(), wanted);
                } else if (matched && pool.equals(record.key()) && record.value() != null) {
                    target = headVersion(record.value());
                }
            }
            for (ConsumerRecord<String, byte[]> record : records.records(Topics.CONFIG_VERSIONS.name())) {
                ConfigVersion version = read(Topics.CONFIG_VERSIONS, record);
                if (version != null && ConfigVersion.APPLIED.equals(version.status())) {
                    applied = Math.max(applied, version.poolVersions().getOrDefault(pool, -1L));
                }
            }
            if (target >= 0 && applied >= target) {
                return true;
            }
        }
        return false;
    }

    /** Whether this member's row is as wanted; a row this agent cannot read is no sign of anything. */
    private static boolean rowMatches(byte[] value, Predicate<Member> wanted) {
        Member member;
        try {
            member = value == null ? null : SnapshotFollower.decodeRow(value);
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
        return wanted.test(member);
    }

    /** The version a pool's head names; -1 for a head this agent cannot read, so that it is skipped. */
    private static long headVersion(byte[] value) {
        try {
            return SnapshotFollower.decodeHead(value).version();
        } catch (IllegalArgumentException unreadable) {
            return -1;
        }
    }

    /** A record this agent cannot read is no sign of anything: skip it. */
    private static <V> V read(dev.roster.core.Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
        try {
            return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (org.apache.kafka.common.errors.SerializationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        // No group, no offsets to commit: nothing to wait for.
        consumer.close(Duration.ZERO);
    }
}
