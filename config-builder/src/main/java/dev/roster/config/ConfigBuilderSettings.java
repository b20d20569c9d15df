package dev.roster.config;

import dev.roster.core.Fields;
import dev.roster.core.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything the config builder can be told. Start from {@link #defaults(String, Path)} and change
 * what differs with the {@code with…} methods; every instance is validated on construction, with
 * messages that name the setting.
 *
 * @param bootstrapServers   Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param instanceId         the HAProxy instance this builder serves: the key of its records on
 *                           {@code roster.config-versions}; a name ({@code [A-Za-z0-9][A-Za-z0-9._-]*})
 * @param workDir            holds the live file ({@code haproxy.cfg}) and the {@code versions/} folder
 * @param templateFile       a Handlebars template to render; empty means the bundled default template
 *                           ({@value ConfigRenderer#DEFAULT_TEMPLATE_RESOURCE} on the classpath)
 * @param frontendAddress    the IP literal or host name the HAProxy frontend binds
 * @param frontendPort       the port the HAProxy frontend binds, 1–65535
 * @param haproxyBinary      the HAProxy executable, a path or a name looked up on the PATH
 * @param masterSocket       HAProxy's master CLI socket ({@code haproxy -W -S <path>}); when present every
 *                           applied version is followed by a reload through it; empty means never reload
 * @param statsSocket        HAProxy's runtime API socket, which the default template declares
 *                           ({@code stats socket <path> mode 600 level admin}): drains, weights and addresses
 *                           go through it without a reload, and the server state is saved from it before
 *                           each reload; empty means none (every change is a reload, no state is kept)
 * @param validate           whether each new version is checked with {@code haproxy -c} before it may go
 *                           live; {@code false} activates unchecked versions (for machines without HAProxy)
 * @param quietWindow        the first change after a calm period is rendered once nothing new arrived for
 *                           this long
 * @param maxWait            … or at the latest this long after it; and a change that comes within this long
 *                           of the previous render waits until this long after it, so that a long burst is
 *                           rendered at most once per {@code maxWait}; ≥ quietWindow
 * @param validateTimeout    how long {@code haproxy -c} may run before the version counts as rejected
 * @param reloadTimeout      how long to wait for a new worker in {@code show proc} after a reload
 * @param kafkaProperties    extra Kafka client properties, applied to both the consumer and the producer
 *                           after the builder's own (so they win); never null
 * @param pools              the pools this builder serves (names and globs); the others are not followed and
 *                           appear in none of its configs
 */
public record ConfigBuilderSettings(String bootstrapServers, String instanceId, Path workDir,
                                    Optional<Path> templateFile, String frontendAddress, int frontendPort,
                                    String haproxyBinary, Optional<Path> masterSocket, Optional<Path> statsSocket,
                                    boolean validate,
                                    Duration quietWindow, Duration maxWait, Duration validateTimeout,
                                    Duration reloadTimeout, Map<String, String> kafkaProperties,
                                    PoolSelection pools) {

    /** The file HAProxy reads, inside {@link #workDir()}. */
    public static final String LIVE_FILE_NAME = "haproxy.cfg";
    /** The folder of numbered versions, inside {@link #workDir()}. */
    public static final String VERSIONS_DIR_NAME = "versions";
    /** The runtime API socket by default, inside {@link #workDir()}. */
    public static final String STATS_SOCKET_NAME = "haproxy.sock";
    /** The file HAProxy loads server state from after a reload, inside {@link #workDir()}. */
    public static final String SERVER_STATE_FILE_NAME = "server-state";
    /** sun_path holds 108 bytes on Linux, including the terminating zero. */
    public static final int MAX_SOCKET_PATH = 107;

    public ConfigBuilderSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is required");
        }
        Fields.name("instanceId", instanceId);
        if (workDir == null) {
            throw new IllegalArgumentException("workDir is required");
        }
        workDir = workDir.toAbsolutePath().normalize();
        renderablePath("workDir", workDir);
        templateFile = require("templateFile", templateFile).map(p -> p.toAbsolutePath().normalize());
        Fields.address("frontendAddress", frontendAddress);
        Fields.port("frontendPort", frontendPort);
        if (haproxyBinary == null || haproxyBinary.isBlank()) {
            throw new IllegalArgumentException("haproxyBinary is required");
        }
        masterSocket = require("masterSocket", masterSocket).map(p -> p.toAbsolutePath().normalize());
        statsSocket = require("statsSocket", statsSocket).map(p -> p.toAbsolutePath().normalize());
        statsSocket.ifPresent(p -> {
            renderablePath("statsSocket", p);
            int length = p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (length > MAX_SOCKET_PATH) {
                throw new IllegalArgumentException("statsSocket must be a path of at most " + MAX_SOCKET_PATH
                        + " bytes (a UNIX socket limit), was " + length + ": " + p);
            }
        });
        positive("quietWindow", quietWindow);
        positive("maxWait", maxWait);
        if (maxWait.compareTo(quietWindow) < 0) {
            throw new IllegalArgumentException("maxWait must be at least quietWindow (" + quietWindow.toMillis()
                    + " ms), was " + maxWait.toMillis() + " ms");
        }
        positive("validateTimeout", validateTimeout);
        positive("reloadTimeout", reloadTimeout);
        if (kafkaProperties == null) {
            throw new IllegalArgumentException("kafkaProperties is required (use an empty map)");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (pools == null) {
            throw new IllegalArgumentException("pools is required (PoolSelection.ALL for every pool)");
        }
    }

    /**
     * Every default in one place: instance {@code haproxy-1}, the bundled template, frontend
     * {@code 127.0.0.1:8080}, {@code haproxy} from the PATH, no master socket (no reload), the runtime API
     * socket {@code workDir/haproxy.sock}, validation on, bursts coalesced for 50 ms (at most 500 ms),
     * {@code haproxy -c} allowed 10 s, reload confirmed within 5 s, every pool.
     */
    public static ConfigBuilderSettings defaults(String bootstrapServers, Path workDir) {
        Path absolute = workDir == null ? null : workDir.toAbsolutePath().normalize();
        return new ConfigBuilderSettings(bootstrapServers, "haproxy-1", workDir, Optional.empty(), "127.0.0.1", 8080,
                "haproxy", Optional.empty(), Optional.ofNullable(absolute).map(d -> d.resolve(STATS_SOCKET_NAME)), true,
                Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(5), Map.of(),
                PoolSelection.ALL);
    }

    /** {@code workDir/server-state}: what HAProxy loads after a reload, saved from the runtime API before it. */
    public Path serverStateFile() {
        return workDir.resolve(SERVER_STATE_FILE_NAME);
    }

    /** What the template renders besides the pools: instance, frontend, runtime socket and server-state file. */
    public RenderParameters renderParameters() {
        return new RenderParameters(instanceId, frontendAddress, frontendPort,
                statsSocket.map(Path::toString).orElse(""), serverStateFile().toString(), pools);
    }

    /** {@code workDir/haproxy.cfg}: the file HAProxy runs with, replaced atomically. */
    public Path liveFile() {
        return workDir.resolve(LIVE_FILE_NAME);
    }

    /** {@code workDir/versions}: every rendered version and its manifest, written once. */
    public Path versionsDir() {
        return workDir.resolve(VERSIONS_DIR_NAME);
    }

    /**
     * Consumer properties: read committed snapshots only, no group (partitions are assigned by hand
     * and read from the beginning, so no offsets are ever committed), then {@link #kafkaProperties()}.
     */
    public Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "roster-config-builder-" + instanceId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(kafkaProperties);
        return props;
    }

    /**
     * Producer properties: idempotent, {@code acks=all}; {@code max.block.ms} is 10 s so that a missing
     * {@code roster.config-versions} topic delays a version's record, not the builder, for long.
     * Then {@link #kafkaProperties()}.
     */
    public Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-config-builder-" + instanceId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        // Each record carries a whole config: compress it, and allow what the topic allows.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MAX_CONFIG_RECORD_BYTES));
        props.putAll(kafkaProperties);
        return props;
    }

    public ConfigBuilderSettings withPools(PoolSelection value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress, frontendPort,
                haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait, validateTimeout,
                reloadTimeout, kafkaProperties, value);
    }

    public ConfigBuilderSettings withInstanceId(String value) {
        return new ConfigBuilderSettings(bootstrapServers, value, workDir, templateFile, frontendAddress, frontendPort,
                haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait, validateTimeout,
                reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withTemplateFile(Path value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, Optional.ofNullable(value),
                frontendAddress, frontendPort, haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait,
                validateTimeout, reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withFrontend(String address, int port) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, address, port,
                haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait, validateTimeout,
                reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withHaproxyBinary(String value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, value, masterSocket, statsSocket, validate, quietWindow, maxWait, validateTimeout,
                reloadTimeout, kafkaProperties, pools);
    }

    /** @param value the master CLI socket to reload through, or null for none */
    public ConfigBuilderSettings withMasterSocket(Path value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, Optional.ofNullable(value), statsSocket, validate, quietWindow, maxWait,
                validateTimeout, reloadTimeout, kafkaProperties, pools);
    }

    /** @param value the runtime API socket the template declares, or null for none */
    public ConfigBuilderSettings withStatsSocket(Path value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, masterSocket, Optional.ofNullable(value), validate, quietWindow, maxWait,
                validateTimeout, reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withValidate(boolean value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, masterSocket, statsSocket, value, quietWindow, maxWait, validateTimeout,
                reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withCoalescing(Duration quiet, Duration max) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, masterSocket, statsSocket, validate, quiet, max, validateTimeout,
                reloadTimeout, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withTimeouts(Duration validateTimeoutValue, Duration reloadTimeoutValue) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait,
                validateTimeoutValue, reloadTimeoutValue, kafkaProperties, pools);
    }

    public ConfigBuilderSettings withKafkaProperties(Map<String, String> value) {
        return new ConfigBuilderSettings(bootstrapServers, instanceId, workDir, templateFile, frontendAddress,
                frontendPort, haproxyBinary, masterSocket, statsSocket, validate, quietWindow, maxWait,
                validateTimeout, reloadTimeout, value, pools);
    }

    /** Like the default, with the Kafka passwords in the client properties shown as [hidden]. */
    @Override
    public String toString() {
        return dev.roster.core.KafkaSecrets.describe(this);
    }

    private static <T> Optional<T> require(String name, Optional<T> value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null (use Optional.empty())");
        }
        return value;
    }

    /**
     * A path the template writes into haproxy.cfg between single quotes, where HAProxy expands nothing:
     * so it must hold no single quote and no control character.
     */
    private static void renderablePath(String name, Path path) {
        String text = path.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\'') {
                throw new IllegalArgumentException(name + " must not contain quotes or control characters, as it is"
                        + " written into haproxy.cfg, was " + Fields.quote(text));
            }
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value.toMillis() + " ms");
        }
    }
}
