package dev.roster.config;

import dev.roster.core.EventCodec;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LogReplayTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    static MemberJoined joined(String id, String pool, String member, int port, Instant at) {
        return new MemberJoined(id, pool, member, 1, at, "test", "127.0.0.1", port, 1, Map.of());
    }

    @Test
    void givesTheSnapshotsHistoryApiPublishesAndSkipsWhatItDeadLetters() {
        LogReplay replay = new LogReplay();
        MemberJoined a = joined("e1", "web", "a", 9001, T0);
        MemberJoined b = joined("e2", "web", "b", 9002, T0.plusSeconds(1));

        assertThat(replay.accept(0, 0, "web", EventCodec.encode(a))).contains(new PoolSnapshot("web", 1,
                List.of(new Member("a", "127.0.0.1", 9001, 1, Map.of())), new LogPosition(0, 0), T0));
        assertThat(replay.accept(0, 1, "web", "{not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(replay.accept(0, 2, "web", null)).isEmpty();
        assertThat(replay.accept(0, 3, "api", EventCodec.encode(b))).as("keyed by another pool").isEmpty();
        assertThat(replay.accept(0, 4, null, EventCodec.encode(b))).as("no key").isEmpty();
        Optional<PoolSnapshot> second = replay.accept(0, 5, "web", EventCodec.encode(b));
        assertThat(replay.accept(0, 6, "web", EventCodec.encode(b))).as("the same id again").isEmpty();
        Optional<PoolSnapshot> draining = replay.accept(0, 7, "web",
                EventCodec.encode(new MemberDraining("e3", "web", "a", 1, T0.plusSeconds(2), "test")));
        assertThat(replay.accept(0, 8, "web", EventCodec.encode(new MemberLeft("e4", "web", "z", 1, T0, "test"))))
                .as("a member that is not there leaves: no change").isEmpty();

        assertThat(second).contains(new PoolSnapshot("web", 2, List.of(new Member("a", "127.0.0.1", 9001, 1, Map.of()),
                new Member("b", "127.0.0.1", 9002, 1, Map.of())), new LogPosition(0, 5), T0.plusSeconds(1)));
        assertThat(draining).contains(new PoolSnapshot("web", 3, List.of(
                new Member("a", "127.0.0.1", 9001, 1, Map.of(), Member.DRAINING),
                new Member("b", "127.0.0.1", 9002, 1, Map.of())), new LogPosition(0, 7), T0.plusSeconds(2)));
        assertThat(replay.records()).isEqualTo(9);
        assertThat(replay.skipped()).isEqualTo(4);
    }
}
