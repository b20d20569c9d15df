package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.EventCodec;
import dev.roster.core.Fold;
import dev.roster.core.Member;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberFailed;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.MemberRecovered;
import dev.roster.core.MemberSet;
import dev.roster.core.PoolHead;
import dev.roster.core.MemberUpdated;
import dev.roster.core.Topics;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryQueriesTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private HistoryQueries queries;
    private int ids;

    @BeforeEach
    void start() {
        driver = HistoryTestDriver.start(stateDir, new FoldMetrics(), DetectorSettings.defaults());
        events = HistoryTestDriver.input(driver, Topics.EVENTS);
        queries = new HistoryQueries(new DriverStores(driver));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private String id() {
        return "e" + (++ids);
    }

    private MemberJoined join(String member, Instant at) {
        return new MemberJoined(id(), "web", member, 1, at, "test", "127.0.0.1", 8000 + member.length(), 100, Map.of());
    }

    private void send(MemberEvent event) {
        events.pipeInput("web", EventCodec.encode(event));
    }

    private PoolHead pool() {
        return queries.pool("web").orElseThrow();
    }

    @Test
    void rebuildsEveryPastMemberSetOfALongRandomHistory() {
        // 150 members churning through 2 000 events: checkpoints are taken by size, and every version
        // between them is rebuilt from the nearest one plus the changes after it.
        Random random = new Random(42);
        List<MemberSet> expected = new ArrayList<>();
        MemberSet folded = MemberSet.empty("web");
        expected.add(folded);
        Instant at = T0;
        for (int i = 0; i < 2000; i++) {
            String member = "s" + random.nextInt(150);
            at = at.plusMillis(random.nextInt(1000));
            MemberEvent event = switch (random.nextInt(i < 300 ? 1 : 6)) {
                case 0 -> new MemberJoined(id(), "web", member, 1 + random.nextInt(3), at, "test", "10.0.0.1",
                        1000 + random.nextInt(9000), random.nextInt(257), Map.of());
                case 1 -> new MemberLeft(id(), "web", member, 3, at, "test");
                case 2 -> new MemberDraining(id(), "web", member, 3, at, "test");
                case 3 -> new MemberUpdated(id(), "web", member, 3, at, "test", null, null, random.nextInt(257), null);
                case 4 -> new MemberFailed(id(), "web", member, 3, at, "test", "silent");
                default -> new MemberRecovered(id(), "web", member, 3, at, "test");
            };
            send(event);
            MemberSet after = Fold.apply(folded, event);
            if (after.version() != folded.version()) {
                expected.add(after);
            }
            folded = after;
        }
        assertThat(pool().version()).isEqualTo(expected.size() - 1).isGreaterThan(300);
        List<Long> checkpoints = new ArrayList<>();
        for (long v = 1; v <= pool().version(); v++) {
            long checkpoint = driver.<String, PoolChange>getKeyValueStore(Stores.POOL_CHANGES)
                    .get(Stores.changeKey("web", v)).checkpoint();
            if (!checkpoints.contains(checkpoint)) {
                checkpoints.add(checkpoint);
            }
        }
        // A checkpoint once the changes since the last one reach twice the set's size, and never fewer than 64.
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < checkpoints.size(); i++) {
            gaps.add(checkpoints.get(i) - checkpoints.get(i - 1));
        }
        assertThat(gaps).hasSizeGreaterThan(3).allMatch(gap -> gap >= FoldProcessor.MIN_CHECKPOINT_GAP)
                .anyMatch(gap -> gap > 100);
        for (MemberSet version : expected) {
            assertThat(queries.membersAt(pool(), version.version()).orElseThrow().members())
                    .as("version %d", version.version()).isEqualTo(version.memberList());
        }
        assertThat(queries.membersAt(pool(), expected.size())).isEmpty();
    }

    @Test
    void findsTheVersionCurrentAtAnInstantEvenWhenAClockRanBehind() {
        send(join("s1", T0));                                   // v1 since T0
        send(join("s2", T0.plusSeconds(10)));                   // v2 since T0+10
        send(new MemberLeft(id(), "web", "s1", 1, T0.plusSeconds(5), "test")); // v3: its clock is behind, since T0+10
        send(join("s3", T0.plusSeconds(20)));                   // v4 since T0+20

        assertThat(queries.versionAt(pool(), T0.minusSeconds(1))).isZero();
        assertThat(queries.versionAt(pool(), T0)).isEqualTo(1);
        assertThat(queries.versionAt(pool(), T0.plusSeconds(9))).isEqualTo(1);
        assertThat(queries.versionAt(pool(), T0.plusSeconds(10))).isEqualTo(3);
        assertThat(queries.versionAt(pool(), T0.plusSeconds(19))).isEqualTo(3);
        assertThat(queries.versionAt(pool(), T0.plusSeconds(3600))).isEqualTo(4);
        HistoryQueries.PoolAt v3 = queries.membersAt(pool(), 3).orElseThrow();
        assertThat(v3.since()).isEqualTo(T0.plusSeconds(10));
        assertThat(v3.members()).extracting(Member::name).containsExactly("s2");
    }

    @Test
    void pagesThroughThePoolLogWithACursorAndFilters() {
        for (int i = 0; i < 25; i++) {
            send(join("s" + i, T0.plusSeconds(i)));
        }
        send(new MemberLeft(id(), "web", "s3", 1, T0.plusSeconds(30), "test"));

        List<String> members = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<ObjectNode> page = queries.events("web", null, null, null, 10, cursor);
            page.items().forEach(e -> members.add(e.path("member").asText() + ":" + e.path("type").asText()));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(members).hasSize(26).startsWith("s0:member-joined", "s1:member-joined").endsWith("s3:member-left");

        Page<ObjectNode> window = queries.events("web", T0.plusSeconds(5), T0.plusSeconds(7), null, 100, null);
        assertThat(window.items()).extracting(e -> e.path("member").asText()).containsExactly("s5", "s6", "s7");
        assertThat(window.next()).isNull();

        Page<ObjectNode> left = queries.events("web", null, null, "member-left", 100, null);
        assertThat(left.items()).extracting(e -> e.path("member").asText() + "@" + e.path("poolVersion").asLong())
                .containsExactly("s3@26");
    }

    @Test
    void refusesACursorItDidNotGiveOut() {
        assertThatThrownBy(() -> queries.events("web", null, null, null, 10, "bm9wZQ"))
                .isInstanceOf(ApiException.class).hasMessage("cursor is not one this API gave out; pass the next value"
                        + " of a previous page unchanged");
    }

    @Test
    void pagesThroughOneMembersHistory() {
        send(join("s1", T0));
        send(join("s10", T0.plusSeconds(1)));
        send(new MemberDraining(id(), "web", "s1", 1, T0.plusSeconds(2), "test"));
        send(new MemberLeft(id(), "web", "s1", 1, T0.plusSeconds(3), "test"));

        Page<ObjectNode> first = queries.memberEvents("web", "s1", 2, null);
        assertThat(first.items()).extracting(e -> e.path("type").asText()).containsExactly("member-joined", "member-draining");
        Page<ObjectNode> second = queries.memberEvents("web", "s1", 2, first.next());
        assertThat(second.items()).extracting(e -> e.path("type").asText()).containsExactly("member-left");
        assertThat(second.next()).isNull();
    }

    @Test
    void drawsBarsFromJoinToLeaveOrFailureWithDrainingApart() {
        send(join("s1", T0));
        send(join("s2", T0.plusSeconds(1)));
        send(new MemberDraining(id(), "web", "s1", 1, T0.plusSeconds(10), "test"));
        send(new MemberLeft(id(), "web", "s1", 1, T0.plusSeconds(12), "test"));
        send(new MemberFailed(id(), "web", "s2", 1, T0.plusSeconds(20), "failure-detector", "no heartbeat"));
        send(new MemberRecovered(id(), "web", "s2", 1, T0.plusSeconds(25), "failure-detector"));
        send(new MemberUpdated(id(), "web", "s2", 1, T0.plusSeconds(26), "test", null, null, 50, null));

        Timeline all = Timeline.of(queries, pool(), null, T0.plusSeconds(30), 100);
        assertThat(all.from()).isEqualTo(T0);
        assertThat(all.truncated()).isFalse();
        assertThat(all.members()).extracting(Timeline.MemberBars::member).containsExactly("s1", "s2");
        assertThat(all.members().get(0).segments()).containsExactly(
                new Timeline.Segment(T0, T0.plusSeconds(10), "active", "member-joined", "member-draining"),
                new Timeline.Segment(T0.plusSeconds(10), T0.plusSeconds(12), "draining", "member-draining", "member-left"));
        assertThat(all.members().get(1).segments()).containsExactly(
                new Timeline.Segment(T0.plusSeconds(1), T0.plusSeconds(20), "active", "member-joined", "member-failed"),
                new Timeline.Segment(T0.plusSeconds(25), null, "active", "member-recovered", null));

        Timeline window = Timeline.of(queries, pool(), T0.plusSeconds(11), T0.plusSeconds(21), 100);
        assertThat(window.members().get(0).segments()).containsExactly(
                new Timeline.Segment(T0.plusSeconds(11), T0.plusSeconds(12), "draining", null, "member-left"));
        assertThat(window.members().get(1).segments()).containsExactly(
                new Timeline.Segment(T0.plusSeconds(11), T0.plusSeconds(20), "active", null, "member-failed"));

        Timeline cut = Timeline.of(queries, pool(), T0, T0.plusSeconds(30), 2);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.members()).extracting(Timeline.MemberBars::member).containsExactly("s1", "s2");

        Timeline latest = Timeline.of(queries, pool(), null, T0.plusSeconds(30), 2);
        assertThat(latest.truncated()).as("the latest two changes, not the first two").isFalse();
        assertThat(latest.from()).isEqualTo(T0.plusSeconds(20));
        assertThat(latest.members()).singleElement().isEqualTo(new Timeline.MemberBars("s2", List.of(
                new Timeline.Segment(T0.plusSeconds(25), null, "active", "member-recovered", null))));
    }

    @Test
    void answersFromTheLatestVersionWithoutReadingHistory() {
        send(join("s1", T0));
        HistoryQueries.PoolAt now = queries.membersAt(pool(), 1).orElseThrow();
        assertThat(now.members()).extracting(Member::name).containsExactly("s1");
        assertThat(queries.membersAt(pool(), 0).orElseThrow().members()).isEmpty();
        assertThat(Duration.between(T0, now.since())).isZero();
    }
}
