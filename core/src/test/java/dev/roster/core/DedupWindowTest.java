package dev.roster.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DedupWindowTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final DedupWindow HOUR = new DedupWindow(Duration.ofHours(1));

    private static MemberEvent join(String id, String member, long incarnation, Instant at) {
        return new MemberJoined(id, "web", member, incarnation, at, "test", "127.0.0.1", 8080, 100, Map.of());
    }

    private static MemberEvent left(String id, String member, long incarnation, Instant at) {
        return new MemberLeft(id, "web", member, incarnation, at, "test");
    }

    @Test
    void anIdSeenAgainWithinTheWindowIsADuplicate() {
        Replay replay = new Replay(HOUR);
        assertThat(replay.admit(join("e1", "a", 1, T0)).verdict()).isEqualTo(Admission.Verdict.CHANGED);
        assertThat(replay.admit(left("e2", "a", 1, T0.plusSeconds(1800))).verdict()).isEqualTo(Admission.Verdict.CHANGED);
        // The same join again, the pool's clock half an hour on: remembered, ignored.
        assertThat(replay.admit(join("e1", "a", 1, T0)).verdict()).isEqualTo(Admission.Verdict.DUPLICATE);
        assertThat(replay.pool("web").orElseThrow().members()).isEmpty();
    }

    @Test
    void anIdOlderThanTheWindowOnThePoolsClockIsFoldedAgain() {
        Replay replay = new Replay(HOUR);
        replay.admit(join("e1", "a", 1, T0));
        replay.admit(new MemberUpdated("u1", "web", "a", 1, T0.plusSeconds(1), "test", null, null, 5, null));
        replay.admit(new MemberUpdated("u2", "web", "a", 1, T0.plusSeconds(2), "test", null, null, 7, null));
        // Another member's event moves the pool's clock past the hour: u1 is forgotten.
        replay.admit(join("e3", "b", 1, T0.plusSeconds(3602)));

        MemberEvent u1 = new MemberUpdated("u1", "web", "a", 1, T0.plusSeconds(1), "test", null, null, 5, null);
        Admission.Outcome again = replay.admit(u1);

        assertThat(again.verdict()).isEqualTo(Admission.Verdict.CHANGED);
        assertThat(replay.pool("web").orElseThrow().members().get("a").weight()).isEqualTo(5);
        // ... and remembered again from where the clock stood when it came back.
        assertThat(replay.admit(u1).verdict())
                .isEqualTo(Admission.Verdict.DUPLICATE);
    }

    @Test
    void theWindowIsMeasuredOnThePoolsClockNotOnTheEventsOwnTime() {
        DedupWindow window = HOUR;
        PoolHead head = new PoolHead("web", 3, T0.plusSeconds(7200), 1);
        MemberEvent late = join("e1", "a", 1, T0);
        long seenAt = T0.plusSeconds(7200 - 3600).toEpochMilli();

        assertThat(Admission.admit(head, null, seenAt, late, window).verdict()).isEqualTo(Admission.Verdict.DUPLICATE);
        assertThat(Admission.admit(head, null, seenAt - 1, late, window).verdict()).isEqualTo(Admission.Verdict.CHANGED);
    }

    @Test
    void refusesAWindowThatIsNotPositive() {
        assertThatThrownBy(() -> new DedupWindow(Duration.ZERO))
                .hasMessage("dedup-window must be positive, was PT0S");
    }
}
