package dev.roster.history;

import dev.roster.core.DedupWindow;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything the history-api needs, with every default in {@link #defaults}.
 *
 * @param httpPort          0 picks a free port
 * @param commitInterval    how often Streams commits; with exactly-once this bounds how soon a change
 *                          reaches roster.snapshots readers
 * @param kafka             extra Kafka client properties (TLS, SASL …), applied last
 * @param apiToken          when present, every endpoint but {@code /health} (and the page's static files)
 *                          needs {@code Authorization: Bearer <token>}
 * @param advertisedAddress the host name or address other instances reach this one's REST API at; empty:
 *                          {@code httpAddress}, or this machine's name when that is a wildcard address
 * @param dedupWindow       how long and how many event ids the fold remembers (see {@link DedupWindow});
 *                          {@code roster rebuild} must be given the same
 */
public record HistoryApiSettings(String bootstrapServers, String applicationId, Path stateDir, String httpAddress,
                                 int httpPort, Duration commitInterval, DetectorSettings detector,
                                 Map<String, String> kafka, Optional<String> apiToken,
                                 Optional<String> advertisedAddress, DedupWindow dedupWindow) {
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
        require(dedupWindow != null, "dedup window is required");
        kafka = Map.copyOf(kafka);
        apiToken = apiToken == null ? Optional.empty() : apiToken.filter(token -> !token.isEmpty());
        // The token travels in an HTTP header: printable ASCII, no spaces. Never echo it in the message.
        require(apiToken.map(token -> token.chars().allMatch(c -> c > 0x20 && c < 0x7f)).orElse(true),
                "api-token must be printable ASCII without spaces");
        advertisedAddress = advertisedAddress == null ? Optional.empty() : advertisedAddress.filter(a -> !a.isBlank());
        require(advertisedAddress.map(a -> a.matches("[A-Za-z0-9.:\\[\\]-]+")).orElse(true),
                "advertised-address must be a host name or an IP address, was " + advertisedAddress.orElse(""));
    }

    public static HistoryApiSettings defaults(String bootstrapServers, Path stateDir) {
        return new HistoryApiSettings(bootstrapServers, "roster-history-api", stateDir, "127.0.0.1", 8070,
                Duration.ofMillis(50), DetectorSettings.defaults(), Map.of(), Optional.empty(), Optional.empty(), DedupWindow.DEFAULT);
    }

    public HistoryApiSettings withHttp(String address, int port) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, address, port, commitInterval, detector,
                kafka, apiToken, advertisedAddress, dedupWindow);
    }

    public HistoryApiSettings withApplicationId(String id) {
        return new HistoryApiSettings(bootstrapServers, id, stateDir, httpAddress, httpPort, commitInterval, detector,
                kafka, apiToken, advertisedAddress, dedupWindow);
    }

    public HistoryApiSettings withDetector(DetectorSettings newDetector) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                newDetector, kafka, apiToken, advertisedAddress, dedupWindow);
    }

    public HistoryApiSettings withKafka(Map<String, String> properties) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                detector, properties, apiToken, advertisedAddress, dedupWindow);
    }

    /** @param token null or empty: no token needed */
    public HistoryApiSettings withApiToken(String token) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                detector, kafka, Optional.ofNullable(token), advertisedAddress, dedupWindow);
    }

    /** @param address null or blank: derived from the HTTP address */
    public HistoryApiSettings withAdvertisedAddress(String address) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                detector, kafka, apiToken, Optional.ofNullable(address), dedupWindow);
    }

    public HistoryApiSettings withDedupWindow(DedupWindow window) {
        return new HistoryApiSettings(bootstrapServers, applicationId, stateDir, httpAddress, httpPort, commitInterval,
                detector, kafka, apiToken, advertisedAddress, window);
    }

    /** The host other instances forward requests to: as set, else the HTTP address unless it is a wildcard. */
    public String advertisedHost() {
        if (advertisedAddress.isPresent()) {
            return advertisedAddress.get();
        }
        if (httpAddress.equals("0.0.0.0") || httpAddress.equals("::") || httpAddress.equals("[::]")) {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("http-address " + httpAddress + " listens everywhere and this"
                        + " machine's name is unknown: set advertised-address");
            }
        }
        return httpAddress;
    }

    /**
     * The Kafka Streams properties: exactly-once v2, one thread, state under {@code stateDir}, RocksDB
     * within a fixed memory budget, and this instance's REST address ({@code application.server}) so that
     * instances find the owner of a pool.
     *
     * @param restPort the port the REST API listens on (known once it has started, as 0 picks one)
     */
    public Properties streamsProperties(int restPort) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int) commitInterval.toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, hostAndPort(advertisedHost(), restPort));
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class.getName());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Events and heartbeats have nothing to order between them (the detector runs on wall-clock time): a
        // task processes whichever has records instead of waiting to learn that the other partition is empty.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // The default from Kafka 5.0 on; setting it now also keeps Streams from warning at every start.
        props.put("processing.exception.handler.global.enabled", true);
        // Changelog and snapshot records are small and many, written in batches: lz4 compresses them at a
        // fraction of zstd's CPU.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.putAll(kafka);
        return props;
    }

    private static String hostAndPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The token and Kafka passwords are secrets: never part of a log line. */
    @Override
    public String toString() {
        return "HistoryApiSettings[bootstrapServers=" + bootstrapServers + ", applicationId=" + applicationId
                + ", stateDir=" + stateDir + ", http=" + httpAddress + ":" + httpPort + ", apiToken="
                + (apiToken.isPresent() ? "(set)" : "(none)") + ", kafka=" + dev.roster.core.KafkaSecrets.redact(kafka)
                + "]";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
