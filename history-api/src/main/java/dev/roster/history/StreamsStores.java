package dev.roster.history;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.function.Supplier;

/** The stores of the running Streams app: this instance's partitions, and the global stores whole. */
final class StreamsStores implements StoreSource {
    private final Supplier<KafkaStreams> streams;

    StreamsStores(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        KafkaStreams current = streams.get();
        if (current == null) {
            throw notReady("starting");
        }
        try {
            return current.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw notReady(current.state().toString());
        }
    }

    static ApiException notReady(String state) {
        return new ApiException(503, "not ready", "the history stores are not ready yet (" + state + ")");
    }
}
