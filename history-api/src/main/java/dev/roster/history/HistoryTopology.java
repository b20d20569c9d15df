package dev.roster.history;

import dev.roster.core.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds the history-api topology: roster.events → fold → roster.snapshots and roster.dead-letters;
 * roster.heartbeats → failure detector → member-failed / member-recovered into roster.events. Both
 * topics are keyed by pool with the same partition count, so one task owns a pool's events and heartbeats.
 */
public final class HistoryTopology {
    static final String SOURCE = "events";
    static final String HEARTBEAT_SOURCE = "heartbeats";
    static final String FOLD = "fold";
    static final String DETECTOR = "failure-detector";
    static final String EVENT_SINK = "detected-events";
    static final String SNAPSHOT_SINK = "snapshots";
    static final String DEAD_LETTER_SINK = "dead-letters";

    private HistoryTopology() {
    }

    public static Topology build(FoldMetrics metrics, DetectorSettings detector) {
        return build(metrics, detector, new java.util.Properties());
    }

    /** @param streamsProperties the app's Streams properties, so the topology is built with the same settings */
    public static Topology build(FoldMetrics metrics, DetectorSettings detector, java.util.Properties streamsProperties) {
        Topology topology = new Topology(new org.apache.kafka.streams.TopologyConfig(
                new org.apache.kafka.streams.StreamsConfig(withRequiredDefaults(streamsProperties))));
        topology.addSource(SOURCE, Topics.EVENTS.keySerde().deserializer(), Topics.EVENTS.valueSerde().deserializer(),
                Topics.EVENTS.name());
        topology.addSource(HEARTBEAT_SOURCE, Topics.HEARTBEATS.keySerde().deserializer(),
                Topics.HEARTBEATS.valueSerde().deserializer(), Topics.HEARTBEATS.name());
        topology.addProcessor(FOLD, () -> new FoldProcessor(metrics), SOURCE);
        topology.addProcessor(DETECTOR, () -> new HeartbeatProcessor(detector, metrics), HEARTBEAT_SOURCE);
        topology.addStateStore(store(Stores.POOL_STATE, MemberSetSerde.SERDE), FOLD, DETECTOR);
        topology.addStateStore(store(Stores.LIVENESS, Liveness.SERDE), FOLD, DETECTOR);
        topology.addStateStore(store(Stores.POOL_EVENTS, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.MEMBER_EVENTS, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.SEEN_IDS, Serdes.Long()), FOLD);
        topology.addSink(SNAPSHOT_SINK, Topics.SNAPSHOTS.name(), new StringSerializer(), new ByteArraySerializer(), FOLD);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new StringSerializer(), new ByteArraySerializer(),
                FOLD, DETECTOR);
        // Failures and recoveries go into the log itself, to be folded like any other event.
        topology.addSink(EVENT_SINK, Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer(), DETECTOR);
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

    private static <V> StoreBuilder<?> store(String name, org.apache.kafka.common.serialization.Serde<V> valueSerde) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
