package dev.roster.history;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fold's own copy, as Java objects, of the rows it reads on every event (pool heads, member rows), in
 * front of their store: a read served from here costs no lookup in Streams' record cache and no decoding.
 * Writes go to the store as before, so the store and its changelog stay the truth; this only remembers
 * what was last read or written. Coherent because the fold is the only writer of these stores, and emptied
 * whenever the processor is (re)initialised, as its task's stores may have been restored since.
 */
final class RowCache<V> {
    private final Map<String, V> rows;
    private KeyValueStore<String, V> store;

    /** @param capacity rows kept, least recently used dropped first */
    RowCache(int capacity) {
        this.rows = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Starts over in front of {@code store}. */
    void attach(KeyValueStore<String, V> store) {
        this.store = store;
        rows.clear();
    }

    /** The row, or null when there is none. */
    V get(String key) {
        V row = rows.get(key);
        if (row == null) {
            row = store.get(key);
            if (row != null) {
                rows.put(key, row);
            }
        }
        return row;
    }

    void put(String key, V row) {
        store.put(key, row);
        rows.put(key, row);
    }
}
