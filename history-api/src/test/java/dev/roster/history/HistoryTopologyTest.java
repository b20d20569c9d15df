package dev.roster.history;

import dev.roster.core.DeadLetter;
import dev.roster.core.EventCodec;
import dev.roster.core.Member;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.MemberSet;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topics;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final DetectorSettings DETECTOR = new DetectorSettings(Duration.ofSeconds(2), Duration.ofMillis(100),
            "failure-detector");

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> snapshotRecords;
    private final SnapshotFollower follower = new SnapshotFollower();
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestInputTopic<String, byte[]> heartbeats;
    private TestOutputTopic<String, byte[]> eventLog;
    private final FoldMetrics metrics = new FoldMetrics();

    @BeforeEach
    void start() {
        driver = HistoryTestDriver.start(stateDir, metrics, DETECTOR);
        events = HistoryTestDriver.input(driver, Topics.EVENTS);
        snapshotRecords = HistoryTestDriver.snapshots(driver);
        heartbeats = HistoryTestDriver.input(driver, Topics.HEARTBEATS);
        eventLog = HistoryTestDriver.output(driver, Topics.EVENTS);
        deadLetters = HistoryTestDriver.output(driver, Topics.DEAD_LETTERS);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private List<PoolSnapshot> snapshots() {
        return HistoryTestDriver.versions(snapshotRecords, follower);
    }

    private static MemberJoined join(String id, String member, int port) {
        return new MemberJoined(id, "web", member, 1, T0, "test", "127.0.0.1", port, 100, Map.of());
    }

    @Test
    void publishesSnapshotForEveryChangeAndNothingElse() {
        events.pipeInput("web", EventCodec.encode(join("e1", "s1", 8081)));
        events.pipeInput("web", EventCodec.encode(join("e2", "s2", 8082)));
        events.pipeInput("web", EventCodec.encode(join("e3", "s2", 8082))); // same member, same fields: no change
        events.pipeInput("web", EventCodec.encode(new MemberLeft("e4", "web", "s1", 1, T0.plusSeconds(5), "test")));

        List<PoolSnapshot> out = snapshots();
        assertThat(out).extracting(PoolSnapshot::version).containsExactly(1L, 2L, 3L);
        PoolSnapshot last = out.get(2);
        assertThat(last.members()).containsExactly(new Member("s2", "127.0.0.1", 8082, 100, Map.of()));
        assertThat(last.through().offset()).isEqualTo(3);
        assertThat(last.at()).isEqualTo(T0.plusSeconds(5));
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void ignoresRepeatedEventIdsHoweverLateTheyCome() {
        MemberJoined first = join("e1", "s1", 8081);
        events.pipeInput("web", EventCodec.encode(first));
        events.pipeInput("web", EventCodec.encode(new MemberLeft("e2", "web", "s1", 1, T0, "test")));
        events.pipeInput("web", EventCodec.encode(first));

        assertThat(snapshots()).extracting(PoolSnapshot::version).containsExactly(1L, 2L);
        assertThat(HistoryTestDriver.members(driver, "web")).isEmpty();
        assertThat(metrics.duplicates()).isEqualTo(1);
    }

    @Test
    void sendsBrokenRecordsToDeadLettersWithReasonAndSourceAndGoesOn() {
        byte[] garbage = "{\"schema\":1,\"type\":\"member-joined\"".getBytes(StandardCharsets.UTF_8);
        events.pipeInput("web", garbage);
        events.pipeInput("api", EventCodec.encode(join("e1", "s1", 8081)));
        events.pipeInput("web", EventCodec.encode(join("e2", "s1", 8081)));

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).reason()).startsWith("malformed JSON: ");
        assertThat(letters.get(0).value()).isEqualTo(garbage);
        assertThat(letters.get(0).topic()).isEqualTo("roster.events");
        assertThat(letters.get(0).offset()).isEqualTo(0);
        assertThat(letters.get(1).reason()).isEqualTo("record key \"api\" does not match pool web");
        assertThat(letters.get(1).offset()).isEqualTo(1);
        assertThat(snapshots()).extracting(PoolSnapshot::version).containsExactly(1L);
        assertThat(metrics.deadLetters()).isEqualTo(2);
    }

    @Test
    void keepsEachMembersHistoryInLogOrder() {
        events.pipeInput("web", EventCodec.encode(join("e1", "s1", 8081)));
        events.pipeInput("web", EventCodec.encode(join("e2", "s10", 8082)));
        events.pipeInput("web", EventCodec.encode(new MemberLeft("e3", "web", "s1", 1, T0.plusSeconds(1), "test")));

        KeyValueStore<String, byte[]> memberEvents = driver.getKeyValueStore(Stores.MEMBER_EVENTS);
        KeyValueStore<String, byte[]> log = driver.getKeyValueStore(Stores.POOL_LOG);
        List<String> s1 = new java.util.ArrayList<>();
        try (var it = memberEvents.prefixScan("web/s1/", new StringSerializer())) {
            it.forEachRemaining(kv -> s1.add(LoggedEvent.fromBytes(log.get(new String(kv.value, StandardCharsets.UTF_8)))
                    .event().type()));
        }
        assertThat(s1).containsExactly("member-joined", "member-left");
    }

    private void beat(String member, long incarnation) {
        heartbeats.pipeInput("web", ("{\"pool\":\"web\",\"member\":\"" + member + "\",\"incarnation\":" + incarnation
                + ",\"at\":\"2026-11-27T10:00:00Z\"}").getBytes(StandardCharsets.UTF_8));
    }

    private List<String> detectedEvents() throws Exception {
        List<String> types = new java.util.ArrayList<>();
        for (byte[] value : eventLog.readValuesToList()) {
            var event = EventCodec.decode(value);
            if (event.source().equals("failure-detector")) {
                types.add(event.type() + " " + event.member() + "@" + event.incarnation());
            }
        }
        return types;
    }

    @Test
    void silentMemberIsDeclaredFailedOnceAndLeavesTheSet() throws Exception {
        events.pipeInput("web", EventCodec.encode(join("e1", "s1", 8081)));
        events.pipeInput("web", EventCodec.encode(join("e2", "s2", 8082)));
        for (int i = 0; i < 6; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
            beat("s2", 1);
        }
        assertThat(detectedEvents()).containsExactly("member-failed s1@1");
        assertThat(HistoryTestDriver.members(driver, "web")).extracting(Member::name).containsExactly("s2");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(detectedEvents()).isEmpty();
        assertThat(metrics.failuresDetected()).isEqualTo(1);
    }

    @Test
    void heartbeatOfFailedIncarnationBringsTheMemberBack() throws Exception {
        events.pipeInput("web", EventCodec.encode(join("e1", "s1", 8081)));
        driver.advanceWallClockTime(Duration.ofMillis(2100));
        assertThat(detectedEvents()).containsExactly("member-failed s1@1");
        beat("s1", 1);
        assertThat(detectedEvents()).containsExactly("member-recovered s1@1");
        assertThat(HistoryTestDriver.members(driver, "web")).containsExactly(new Member("s1", "127.0.0.1", 8081, 100, Map.of()));
        assertThat(snapshots()).extracting(s -> s.members().size()).containsExactly(1, 0, 1);
    }

    @Test
    void heartbeatOfOlderIncarnationDoesNotKeepNewerAlive() throws Exception {
        events.pipeInput("web", EventCodec.encode(new MemberJoined("e1", "web", "s1", 5, T0, "t", "127.0.0.1", 8081, 100,
                Map.of())));
        for (int i = 0; i < 5; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
            beat("s1", 4);
        }
        assertThat(detectedEvents()).containsExactly("member-failed s1@5");
    }

    @Test
    void sendsBrokenHeartbeatsToDeadLetters() {
        heartbeats.pipeInput("web", "{\"pool\":\"web\",\"member\":\"bad name\",\"incarnation\":1,\"at\":\"2026-11-27T10:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8));
        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.topic()).isEqualTo("roster.heartbeats");
        assertThat(letter.reason())
                .isEqualTo("invalid heartbeat: member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"bad name\"");
    }
}
