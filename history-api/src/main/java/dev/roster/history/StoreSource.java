package dev.roster.history;

import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Where queries get their read-only stores: the running Streams app, or a test driver. */
public interface StoreSource {
    /**
     * @throws ApiException 503 when the stores cannot be read yet (starting, rebalancing)
     */
    <V> ReadOnlyKeyValueStore<String, V> store(String name);
}
