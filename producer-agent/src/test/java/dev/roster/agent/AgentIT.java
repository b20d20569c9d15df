package dev.roster.agent;

import dev.roster.core.EventCodec;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.TopicSetup;
import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentIT {
    @TempDir
    static Path dataDir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(dataDir);
        TopicSetup.createAll(kafka.admin(), 1, Optional.empty());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void announcesJoinHeartbeatsAndLeaveWithOneIncarnationPerRun() throws Exception {
        AgentSettings settings = AgentSettings.defaults(kafka.bootstrapServers(), "agent-test", "s1", "127.0.0.1", 8081)
                .withHeartbeatInterval(Duration.ofMillis(50)).withShutdownWaits(Duration.ZERO, Duration.ZERO);
        long first;
        try (Agent agent = new Agent(settings).start()) {
            first = agent.incarnation();
            Thread.sleep(300);
        }
        long second;
        try (Agent agent = new Agent(settings).start()) {
            second = agent.incarnation();
        }

        List<MemberEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(Topics.EVENTS.name())) {
            if ("agent-test".equals(record.key())) {
                events.add(EventCodec.decode(record.value()));
            }
        }
        assertThat(events).extracting(MemberEvent::type)
                .containsExactly("member-joined", "member-left", "member-joined", "member-left");
        assertThat(events).extracting(MemberEvent::incarnation).containsExactly(first, first, second, second);
        assertThat(second).isGreaterThan(first);
        MemberJoined joined = (MemberJoined) events.get(0);
        assertThat(joined.address()).isEqualTo("127.0.0.1");
        assertThat(joined.port()).isEqualTo(8081);
        assertThat(events.get(1)).isInstanceOf(MemberLeft.class);

        long heartbeats = readAll(Topics.HEARTBEATS.name()).stream().filter(r -> "agent-test".equals(r.key())).count();
        assertThat(heartbeats).isGreaterThanOrEqualTo(2);
    }

    @Test
    void failsToStartWhenKafkaDoesNotAcknowledgeTheJoin() {
        AgentSettings unreachable = AgentSettings.defaults("127.0.0.1:1", "web", "s1", "127.0.0.1", 8081)
                .withAckTimeout(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new Agent(unreachable).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("member-joined of web/s1 not acknowledged by Kafka within 2000 ms");
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
