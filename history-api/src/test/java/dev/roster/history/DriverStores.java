package dev.roster.history;

import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The stores of a {@link TopologyTestDriver}, for queries under test. */
final class DriverStores implements StoreSource {
    private final TopologyTestDriver driver;

    DriverStores(TopologyTestDriver driver) {
        this.driver = driver;
    }

    @Override
    public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }
}
