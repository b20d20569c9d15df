package dev.roster.core;

import org.apache.kafka.common.serialization.Serde;

import java.util.Map;

/** A Kafka topic declared once, with its serdes and the topic configs it is created with. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config) {
    public Topic {
        config = Map.copyOf(config);
    }
}
