package dev.roster.history;

import dev.roster.core.Topics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/** Builds the history-api topology: roster.events → fold → roster.snapshots and roster.dead-letters. */
public final class HistoryTopology {
    static final String SOURCE = "events";
    static final String FOLD = "fold";
    static final String SNAPSHOT_SINK = "snapshots";
    static final String DEAD_LETTER_SINK = "dead-letters";

    private HistoryTopology() {
    }

    public static Topology build(FoldMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Topics.EVENTS.keySerde().deserializer(), Topics.EVENTS.valueSerde().deserializer(),
                Topics.EVENTS.name());
        topology.addProcessor(FOLD, () -> new FoldProcessor(metrics), SOURCE);
        topology.addStateStore(store(Stores.POOL_STATE, MemberSetSerde.SERDE), FOLD);
        topology.addStateStore(store(Stores.POOL_EVENTS, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.MEMBER_EVENTS, Serdes.ByteArray()), FOLD);
        topology.addStateStore(store(Stores.SEEN_IDS, Serdes.Long()), FOLD);
        topology.addSink(SNAPSHOT_SINK, Topics.SNAPSHOTS.name(), new StringSerializer(), new ByteArraySerializer(), FOLD);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), new StringSerializer(), new ByteArraySerializer(),
                FOLD);
        return topology;
    }

    private static <V> StoreBuilder<?> store(String name, org.apache.kafka.common.serialization.Serde<V> valueSerde) {
        return org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
