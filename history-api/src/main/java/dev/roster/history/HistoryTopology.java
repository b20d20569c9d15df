package dev.roster.history;

import dev.roster.core.DedupWindow;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds the history-api topology: roster.events → fold → roster.snapshots and roster.dead-letters;
 * roster.heartbeats → failure detector → member-failed / member-recovered into roster.events. Both
 * topics are keyed by pool with the same partition count, so one task owns a pool's events and heartbeats,
 * and every store of a pool lives beside them. roster.config-versions and roster.dead-letters are read
 * whole by every instance into global stores.
 */
public final class HistoryTopology {
    static final String SOURCE = "events";
    static final String HEARTBEAT_SOURCE = "heartbeats";
    static final String FOLD = "fold";
    static final String DETECTOR = "failure-detector";
    static final String EVENT_SINK = "detected-events";
    static final String SNAPSHOT_SINK = "snapshots";
    static final String DEAD_LETTER_SINK = "dead-letters";
    static final String CONFIG_SOURCE = "config-versions-source";
    static final String CONFIG_PROCESSOR = "config-versions";
    static final String DEAD_LETTER_SOURCE = "dead-letters-source";
    static final String DEAD_LETTER_PROCESSOR = "dead-letters-index";

    private HistoryTopology() {
    }

    public static Topology build(FoldMetrics metrics, DetectorSettings detector) {
        return build(metrics, detector, DedupWindow.DEFAULT, new java.util.Properties());
    }

    /** @param streamsProperties the app's Streams properties, so the topology is built with the same settings */
    public static Topology build(FoldMetrics metrics, DetectorSettings detector, DedupWindow window,
                                 java.util.Properties streamsProperties) {
        Topology topology = new Topology(new org.apache.kafka.streams.TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(withRequiredDefaults(streamsProperties))));
        topology.addSource(SOURCE, Topics.EVENTS.keySerde().deserializer(), Topics.EVENTS.valueSerde().deserializer(),
                Topics.EVENTS.name());
        topology.addSource(HEARTBEAT_SOURCE, Topics.HEARTBEATS.keySerde().deserializer(),
                Topics.HEARTBEATS.valueSerde().deserializer(), Topics.HEARTBEATS.name());
        topology.addProcessor(FOLD, () -> new FoldProcessor(metrics, window), SOURCE);
        topology.addProcessor(DETECTOR, () -> new HeartbeatProcessor(detector, metrics), HEARTBEAT_SOURCE);
        // Heads and member rows are read and written by every event: cached, so that a pool's head, or a
        // member with several events, reaches the changelog once per commit rather than once per event.
        topology.addStateStore(store(Stores.POOL_HEADS, StoreCodecs.POOL_HEAD).withCachingEnabled(),
                FOLD, DETECTOR);
        topology.addStateStore(store(Stores.POOL_MEMBERS, StoreCodecs.MEMBER_STATE).withCachingEnabled(),
                FOLD, DETECTOR);
        topology.addStateStore(store(Stores.SEEN_IDS, Serdes.Long()), FOLD);
        topology.addStateStore(store(Stores.IDS_FORGOTTEN, Serdes.String()).withCachingEnabled(), FOLD);
        topology.addStateStore(LivenessTable.builder(Stores.LIVENESS, detector.failureTimeout().toMillis()),
                FOLD, DETECTOR);
        topology.addStateStore(store(Stores.POOL_LOG, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.MEMBER_EVENTS, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.POOL_CHANGES, StoreCodecs.POOL_CHANGE), FOLD);
        topology.addStateStore(store(Stores.POOL_CHECKPOINTS, StoreCodecs.MEMBER), FOLD);
        // Rows and heads of a pool share its partition (the key's part before "/"), in the order written.
        topology.addSink(SNAPSHOT_SINK, Topics.SNAPSHOTS.name(), new StringSerializer(), new ByteArraySerializer(),
                HistoryTopology::poolPartition, FOLD);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new StringSerializer(), new ByteArraySerializer(),
                FOLD, DETECTOR);
        // Failures and recoveries go into the log itself, to be folded like any other event.
        topology.addSink(EVENT_SINK, Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer(), DETECTOR);

        // Global stores have no changelog of their own: the topic is their changelog, and on restore its
        // records go through the same processor again, so the derived keys come back the same.
        topology.addGlobalStore(store(Stores.CONFIG_VERSIONS, Serdes.ByteArray()).withLoggingDisabled(), CONFIG_SOURCE,
                new StringDeserializer(), new ByteArrayDeserializer(), Topics.CONFIG_VERSIONS.name(), CONFIG_PROCESSOR,
                () -> new ConfigVersionsProcessor(metrics));
        topology.addGlobalStore(store(Stores.DEAD_LETTERS, Serdes.ByteArray()).withLoggingDisabled(), DEAD_LETTER_SOURCE,
                new StringDeserializer(), new ByteArrayDeserializer(), Topics.DEAD_LETTERS.name(), DEAD_LETTER_PROCESSOR,
                DeadLetterProcessor::new);
        return topology;
    }

    /** StreamsConfig insists on an application id and bootstrap servers even to describe a topology. */
    private static java.util.Properties withRequiredDefaults(java.util.Properties properties) {
        java.util.Properties props = new java.util.Properties();
        props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "roster-history-api");
        props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put("processing.exception.handler.global.enabled", true);
        props.putAll(properties);
        return props;
    }

    /** A persistent store with a changelog. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> valueSerde) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }

    /** Rows and heads of a pool share its partition: see {@link SnapshotFollower#partition}. */
    static java.util.Optional<java.util.Set<Integer>> poolPartition(String topic, String key, byte[] value,
                                                                    int partitions) {
        return java.util.Optional.of(java.util.Set.of(SnapshotFollower.partition(key, partitions)));
    }
}
