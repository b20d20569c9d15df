package dev.roster.history;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LivenessTableTest {
    private static final long TIMEOUT_MS = 2_000;

    private static List<String> keys(List<KeyValue<String, Liveness>> due) {
        return due.stream().map(entry -> entry.key).toList();
    }

    private static LivenessTable watching(int members, long sinceMs) {
        LivenessTable table = new LivenessTable(Stores.LIVENESS, TIMEOUT_MS);
        for (int i = 0; i < members; i++) {
            table.put("web/m" + i, new Liveness(1, sinceMs, Liveness.State.ALIVE));
        }
        return table;
    }

    @Test
    void theSilentMembersComeDueOldestDeadlineFirstAndTheBeatingOnesAreQueuedAgain() {
        LivenessTable table = new LivenessTable(Stores.LIVENESS, TIMEOUT_MS);
        table.put("web/late", new Liveness(1, 300, Liveness.State.ALIVE));
        table.put("web/early", new Liveness(1, 100, Liveness.State.ALIVE));
        table.put("web/beating", new Liveness(1, 0, Liveness.State.ALIVE));
        table.seen("web/beating", table.get("web/beating"), 1_500);

        assertThat(keys(table.due(TIMEOUT_MS + 99))).isEmpty();
        assertThat(keys(table.due(TIMEOUT_MS + 300))).containsExactly("web/early", "web/late");
        // The beating member's entry came due early and waits now at its real deadline.
        assertThat(table.queued()).isEqualTo(1);
        assertThat(keys(table.due(1_500 + TIMEOUT_MS - 1))).isEmpty();
        assertThat(keys(table.due(1_500 + TIMEOUT_MS))).containsExactly("web/beating");
    }

    @Test
    void aCheckReadsOnlyTheEntriesThatCameDueNotEveryMember() {
        int members = 10_000;
        LivenessTable table = watching(members, 0);
        List<String> failed = new ArrayList<>();
        // Ten seconds of heartbeats every 500 ms from everyone but m42, and a check every 50 ms.
        for (long now = 0; now <= 10_000; now += 50) {
            if (now % 500 == 0) {
                for (int i = 0; i < members; i++) {
                    String key = "web/m" + i;
                    if (i != 42) {
                        table.seen(key, table.get(key), now);
                    }
                }
            }
            failed.addAll(keys(table.due(now)));
        }

        assertThat(failed).containsExactly("web/m42");
        // About one read per member per timeout (10 s / 2 s, plus the first), not one per member per check
        // (201 checks × 10 000 members).
        assertThat(table.examined()).isLessThanOrEqualTo((long) members * (10_000 / TIMEOUT_MS + 1));
    }

    @Test
    void aMemberThatLeftIsNeverDue() {
        LivenessTable table = watching(3, 0);
        table.delete("web/m1");

        assertThat(keys(table.due(TIMEOUT_MS))).containsExactly("web/m0", "web/m2");
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void aFailureWrittenButNotFoldedIsForgottenAfterTenTimeouts() {
        LivenessTable table = new LivenessTable(Stores.LIVENESS, TIMEOUT_MS);
        table.put("web/m0", new Liveness(1, 0, Liveness.State.FAILURE_SENT));

        assertThat(keys(table.due(9 * TIMEOUT_MS))).isEmpty();
        assertThat(table.due(10 * TIMEOUT_MS)).extracting(entry -> entry.value.state())
                .containsExactly(Liveness.State.FAILURE_SENT);
    }
}
