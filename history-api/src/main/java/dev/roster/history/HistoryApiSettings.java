package dev.roster.history;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the history-api needs, with every default in {@link #defaults}.
 *
 * @param httpPort       0 picks a free port
 * @param commitInterval how often Streams commits; with exactly-once this bounds how soon a change
 *                       reaches roster.snapshots readers
 * @param kafka          extra Kafka client properties (TLS, SASL …), applied last
 */
public record HistoryApiSettings(String bootstrapServers, String applicationId, Path stateDir, String httpAddress,
                                 int httpPort, Duration commitInterval, DetectorSettings detector,
                                 Map<String, String> kafka) {
    public HistoryApiSettings {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrap-server is required");
        require(applicationId != null && applicationId.matches("[A-Za-z0-9._-]+"),
                "application-id must match [A-Za-z0-9._-]+, was " + applicationId);
        require(stateDir != null, "state-dir is required");
        require(httpAddress != null && !httpAddress.isBlank(), "http-address is required");
        require(httpPort >= 0 && httpPort <= 65535, "http-port must be 0-65535, was " + httpPort);
        require(commitInterval != null && !commitInterval.isNegative() && !commitInterval.isZero(),
                "commit-interval must be positive, was " + commitInterval);
        require(detector != null, "detector settings are required");
        kafka = Map.copyOf(kafka);
    }

    public static HistoryApiSettings defaults(String bootstrapServers, Path stateDir) {
        return new HistoryApiSettings(bootstrapServers, "roster-history-api", stateDir, "127.0.0.1", 8070,
                Duration.ofMillis(100), DetectorSettings.defaults(), Map.of());
    }

    public HistoryApiSettings withHttp(String address, int port) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, address, port, commitInterval, detector, kafka);
    }

    public HistoryApiSettings withApplicationId(String id) {
        return new HistoryApiSettings(bootstrapServers, id, stateDir, httpAddress, httpPort, commitInterval, detector, kafka);
    }

    public HistoryApiSettings withDetector(DetectorSettings newDetector) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                newDetector, kafka);
    }

    public HistoryApiSettings withKafka(Map<String, String> properties) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                detector, properties);
    }

    /** The Kafka Streams properties: exactly-once v2, one thread, state under {@code stateDir}. */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The default from Kafka 5.0 on; setting it now also keeps Streams from warning at every start.
        props.put("processing.exception.handler.global.enabled", true);
        props.putAll(kafka);
        return props;
    }

    /** Like the default, with the Kafka passwords in the client properties shown as [hidden]. */
    @Override
    public String toString() {
        return dev.roster.core.KafkaSecrets.describe(this);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
