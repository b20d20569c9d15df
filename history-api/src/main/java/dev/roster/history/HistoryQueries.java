package dev.roster.history;

import dev.roster.core.MemberSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read-only questions to the topology's state stores of this instance. */
public final class HistoryQueries {
    private final KafkaStreams streams;

    public HistoryQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    public List<MemberSet> pools() {
        List<MemberSet> pools = new ArrayList<>();
        ReadOnlyKeyValueStore<String, MemberSet> store = store(Stores.POOL_STATE);
        try (KeyValueIterator<String, MemberSet> it = store.all()) {
            it.forEachRemaining(entry -> pools.add(entry.value));
        }
        return pools;
    }

    public Optional<MemberSet> pool(String pool) {
        ReadOnlyKeyValueStore<String, MemberSet> store = store(Stores.POOL_STATE);
        return Optional.ofNullable(store.get(pool));
    }

    /** The pool's events in log order, at most {@code limit}. */
    public List<LoggedEvent> poolEvents(String pool, int limit) {
        return scan(Stores.POOL_EVENTS, pool + "/", limit);
    }

    /** One member's events in log order. */
    public List<LoggedEvent> memberEvents(String pool, String member) {
        return scan(Stores.MEMBER_EVENTS, pool + "/" + member + "/", Integer.MAX_VALUE);
    }

    private List<LoggedEvent> scan(String storeName, String prefix, int limit) {
        ReadOnlyKeyValueStore<String, byte[]> store = store(storeName);
        List<LoggedEvent> events = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext() && events.size() < limit) {
                events.add(LoggedEvent.fromBytes(it.next().value));
            }
        }
        return events;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new ApiException(503, "not ready", "the history stores are not ready yet (" + streams.state() + ")");
        }
    }
}
