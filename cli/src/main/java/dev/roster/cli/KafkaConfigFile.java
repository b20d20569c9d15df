package dev.roster.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Reads {@code --kafka-config}: Kafka client properties (TLS, SASL …) in Java properties format. */
final class KafkaConfigFile {
    private KafkaConfigFile() {
    }

    /** @param file the properties file; null or empty (an empty ROSTER_KAFKA_CONFIG) means none */
    static Map<String, String> read(Path file) {
        if (file == null || file.toString().isEmpty()) {
            return Map.of();
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("kafka-config " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> map = new TreeMap<>();
        props.stringPropertyNames().forEach(name -> map.put(name, props.getProperty(name)));
        return map;
    }
}
