package dev.roster.agent;

import dev.roster.core.Fields;
import dev.roster.core.MemberJoined;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * What one node's agent announces and how. Every field that reaches an event is validated here, so a
 * bad flag is refused before anything is published.
 *
 * @param heartbeatInterval how often a heartbeat is sent while the agent runs
 * @param ackTimeout        how long to wait for Kafka to acknowledge the join or the leave
 * @param drainTimeout      on shutdown, how long to wait for a config with this member draining to be applied
 *                          before leaving; zero = leave at once, without draining
 * @param leaveTimeout      on shutdown, how long to wait for a config without this member to be applied
 *                          before exiting; zero = exit as soon as the leave is acknowledged
 * @param kafka             extra Kafka client properties (TLS, SASL …), applied last
 */
public record AgentSettings(String bootstrapServers, String pool, String member, String address, int port, int weight,
                            Map<String, String> tags, String source, Duration heartbeatInterval, Duration ackTimeout,
                            Duration drainTimeout, Duration leaveTimeout, Map<String, String> kafka) {
    public AgentSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap-server is required");
        }
        Fields.name("pool", pool);
        Fields.name("member", member);
        Fields.address("address", address);
        Fields.port("port", port);
        Fields.weight("weight", weight);
        tags = Fields.tags("tags", tags);
        Fields.label("source", source);
        if (heartbeatInterval == null || heartbeatInterval.toMillis() < 10) {
            throw new IllegalArgumentException("heartbeat-interval must be at least 10 ms, was " + heartbeatInterval);
        }
        if (ackTimeout == null || ackTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("ack-timeout must be positive, was " + ackTimeout);
        }
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drain-timeout must be zero or more, was " + drainTimeout);
        }
        if (leaveTimeout == null || leaveTimeout.isNegative()) {
            throw new IllegalArgumentException("leave-timeout must be zero or more, was " + leaveTimeout);
        }
        kafka = Map.copyOf(kafka);
    }

    /**
     * Heartbeat every 500 ms, weight 100, 30 s to get an acknowledgement, source {@code agent@<host>}; on
     * shutdown up to 5 s for the drain and 5 s for the config without the member to be applied.
     */
    public static AgentSettings defaults(String bootstrapServers, String pool, String member, String address, int port) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, MemberJoined.DEFAULT_WEIGHT, Map.of(),
                "agent@" + hostName(), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Map.of());
    }

    /**
     * Settings to speak for a member a running agent announced (drain, update): address and port are
     * not part of such events, so they are placeholders here.
     */
    public static AgentSettings speakingFor(String bootstrapServers, String pool, String member) {
        return defaults(bootstrapServers, pool, member, "localhost", 1);
    }

    public AgentSettings withWeight(int newWeight) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, newWeight, tags, source,
                heartbeatInterval, ackTimeout, drainTimeout, leaveTimeout, kafka);
    }

    public AgentSettings withTags(Map<String, String> newTags) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, weight, newTags, source,
                heartbeatInterval, ackTimeout, drainTimeout, leaveTimeout, kafka);
    }

    public AgentSettings withHeartbeatInterval(Duration interval) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, weight, tags, source, interval,
                ackTimeout, drainTimeout, leaveTimeout, kafka);
    }

    public AgentSettings withAckTimeout(Duration timeout) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, weight, tags, source,
                heartbeatInterval, timeout, drainTimeout, leaveTimeout, kafka);
    }

    /** How long shutdown waits for the drain, then for the config without the member; zero skips each wait. */
    public AgentSettings withShutdownWaits(Duration drain, Duration leave) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, weight, tags, source,
                heartbeatInterval, ackTimeout, drain, leave, kafka);
    }

    public AgentSettings withKafka(Map<String, String> properties) {
        return new AgentSettings(bootstrapServers, pool, member, address, port, weight, tags, source,
                heartbeatInterval, ackTimeout, drainTimeout, leaveTimeout, properties);
    }

    /** An idempotent producer that waits for all in-sync replicas: an acknowledged event is never lost. */
    Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(ackTimeout.toMillis(), 1000));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(ackTimeout.toMillis(), 1000));
        // send() waits for metadata up to max.block.ms before its future even exists: bound that wait too.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeout.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "roster-agent-" + pool + "-" + member);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(kafka);
        return props;
    }

    /** Like the default, with the Kafka passwords in the client properties shown as [hidden]. */
    @Override
    public String toString() {
        return dev.roster.core.KafkaSecrets.describe(this);
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9._-]{1,200}") ? name : "localhost";
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
