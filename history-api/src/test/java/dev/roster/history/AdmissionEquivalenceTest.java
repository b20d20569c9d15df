package dev.roster.history;

import dev.roster.core.Admission;
import dev.roster.core.DeadLetter;
import dev.roster.core.EventCodec;
import dev.roster.core.Member;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberFailed;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.MemberRecovered;
import dev.roster.core.MemberSet;
import dev.roster.core.MemberUpdated;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.Replay;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topics;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history-api's fold and a replay of the log decide alike: the same seeded random logs, with broken,
 * repeated, stale, schema-1 and mis-keyed records among valid ones, go through the topology and through
 * {@link Admission} + {@link Replay} (what {@code roster rebuild} uses), and every version of every pool and
 * every refusal reason must be the same.
 */
class AdmissionEquivalenceTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final List<String> POOLS = List.of("web", "api", "db");

    @TempDir
    Path stateDir;

    private record Raw(String key, byte[] value) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void theTopologyAndTheReplayGiveTheSameVersionsAndRefusals(long seed) {
        List<Raw> log = randomLog(new Random(seed), 1500);

        Replay replay = new Replay();
        List<String> expectedRefusals = new ArrayList<>();
        List<PoolSnapshot> expectedVersions = new ArrayList<>();
        for (Raw raw : log) {
            Admission.Read read = Admission.read(raw.key(), raw.value());
            if (read.refused()) {
                expectedRefusals.add(read.refusal());
            } else if (replay.apply(read.event())) {
                MemberSet set = replay.pool(read.event().pool()).orElseThrow();
                expectedVersions.add(new PoolSnapshot(set.pool(), set.version(), set.memberList(), null, null));
            }
        }

        FoldMetrics metrics = new FoldMetrics();
        DetectorSettings quiet = new DetectorSettings(Duration.ofDays(1), Duration.ofSeconds(1), "failure-detector");
        try (TopologyTestDriver driver = HistoryTestDriver.start(stateDir, metrics, quiet)) {
            TestInputTopic<String, byte[]> events = HistoryTestDriver.input(driver, Topics.EVENTS);
            TestOutputTopic<String, byte[]> snapshots = HistoryTestDriver.snapshots(driver);
            TestOutputTopic<String, DeadLetter> deadLetters = HistoryTestDriver.output(driver, Topics.DEAD_LETTERS);
            log.forEach(raw -> events.pipeInput(raw.key(), raw.value()));

            List<PoolSnapshot> versions = HistoryTestDriver.versions(snapshots, new SnapshotFollower()).stream()
                    .map(s -> new PoolSnapshot(s.pool(), s.version(), s.members(), null, null)).toList();
            assertThat(versions).hasSizeGreaterThan(100).containsExactlyElementsOf(expectedVersions);
            assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::reason)
                    .hasSizeGreaterThan(20).containsExactlyElementsOf(expectedRefusals);
            Map<String, List<Member>> folded = new TreeMap<>();
            Map<String, List<Member>> replayed = new TreeMap<>();
            for (String pool : POOLS) {
                folded.put(pool, HistoryTestDriver.members(driver, pool));
                replayed.put(pool, replay.pool(pool).map(MemberSet::memberList).orElse(List.of()));
            }
            assertThat(folded).isEqualTo(replayed);
            assertThat(metrics.duplicates()).isGreaterThan(20);
        }
    }

    /** Mostly valid events of a few members, and every kind of record the fold must refuse or ignore. */
    private static List<Raw> randomLog(Random random, int size) {
        List<Raw> log = new ArrayList<>();
        List<MemberEvent> written = new ArrayList<>();
        long[] incarnation = new long[12];
        for (int i = 0; i < size; i++) {
            int m = random.nextInt(incarnation.length);
            String pool = POOLS.get(m % POOLS.size());
            String member = "m" + m;
            // Clocks that sometimes run behind: the pool's clock, not the event's, orders history.
            Instant at = T0.plusSeconds(i * 30L - random.nextInt(120));
            String id = "e" + i;
            int roll = random.nextInt(100);
            if (roll < 5 && !written.isEmpty()) {
                MemberEvent again = written.get(random.nextInt(written.size()));
                log.add(new Raw(again.pool(), EventCodec.encode(again)));
                continue;
            }
            if (roll < 8) {
                log.add(new Raw(pool, ("{\"schema\":2,\"type\":\"member-joined\",\"id\":\"" + id + "\"")
                        .getBytes(StandardCharsets.UTF_8)));
                continue;
            }
            if (incarnation[m] == 0 || roll < 20) {
                incarnation[m]++;
            }
            long inc = roll < 25 && incarnation[m] > 1 ? incarnation[m] - 1 : incarnation[m];
            MemberEvent event = switch (random.nextInt(7)) {
                case 0, 1 -> new MemberJoined(id, pool, member, inc, at, "test", "127.0.0." + (1 + m), 8000 + m,
                        random.nextInt(257), Map.of());
                case 2 -> new MemberUpdated(id, pool, member, inc, at, "test", null, null, random.nextInt(257), null);
                case 3 -> new MemberDraining(id, pool, member, inc, at, "test");
                case 4 -> new MemberLeft(id, pool, member, inc, at, "test");
                case 5 -> new MemberFailed(id, pool, member, inc, at, "failure-detector", "no heartbeat");
                default -> new MemberRecovered(id, pool, member, inc, at, "failure-detector");
            };
            written.add(event);
            byte[] bytes = EventCodec.encode(event);
            String key = roll < 30 ? POOLS.get((m + 1) % POOLS.size()) : pool;
            if (roll >= 30 && roll < 36 && event instanceof MemberJoined) {
                // As a schema-1 agent wrote it: no weight, no tags.
                bytes = new String(bytes, StandardCharsets.UTF_8).replace("\"schema\":2", "\"schema\":1")
                        .replaceAll(",\"weight\":[0-9]+", "").replace(",\"tags\":{}", "").getBytes(StandardCharsets.UTF_8);
            }
            log.add(new Raw(key, bytes));
        }
        return log;
    }
}
