package dev.roster.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotFollowerTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static Member member(String name) {
        return new Member(name, "10.0.0.1", 8080, 100, Map.of());
    }

    private static byte[] head(String pool, long version, int size, long offset) {
        return SnapshotFollower.encode(new PoolVersion(pool, version, size, new LogPosition(0, offset), T0));
    }

    @Test
    void rowsShowOnlyWithTheHeadAfterThem() {
        SnapshotFollower follower = new SnapshotFollower();
        follower.accept("web/a", SnapshotFollower.encode(member("a")));
        follower.accept("web", head("web", 1, 1, 0));
        assertThat(follower.accept("web/b", SnapshotFollower.encode(member("b")))).isEqualTo(SnapshotFollower.Effect.NONE);

        // b is written but its version is not: the pool is still seen at version 1, whole.
        assertThat(follower.snapshot("web").orElseThrow().members()).containsExactly(member("a"));
        assertThat(follower.accept("web/a", null)).isEqualTo(SnapshotFollower.Effect.NONE);
        assertThat(follower.accept("web", head("web", 3, 1, 2))).isEqualTo(SnapshotFollower.Effect.VERSION);
        PoolSnapshot web = follower.snapshot("web").orElseThrow();
        assertThat(web.version()).isEqualTo(3);
        assertThat(web.members()).containsExactly(member("b"));
        assertThat(web.through()).isEqualTo(new LogPosition(0, 2));
        assertThat(follower.accept("web", null)).isEqualTo(SnapshotFollower.Effect.DELETED);
        assertThat(follower.snapshots()).isEmpty();
    }

    @Test
    void followsOnlyTheSelectedPools() {
        SnapshotFollower follower = new SnapshotFollower(pool -> pool.startsWith("api"));
        for (String pool : List.of("web", "api-1")) {
            follower.accept(pool + "/a", SnapshotFollower.encode(member("a")));
            follower.accept(pool, head(pool, 1, 1, 0));
        }

        assertThat(follower.snapshots()).extracting(PoolSnapshot::pool).containsExactly("api-1");
        assertThat(follower.accept("web", head("web", 2, 1, 1))).isEqualTo(SnapshotFollower.Effect.NONE);
    }

    @Test
    void refusesARowOfAnotherMemberAndAHeadOfAnotherPool() {
        SnapshotFollower follower = new SnapshotFollower();

        assertThatThrownBy(() -> follower.accept("web/a", SnapshotFollower.encode(member("b"))))
                .hasMessage("row web/a holds member b");
        assertThatThrownBy(() -> follower.accept("web", head("api", 1, 0, 0))).hasMessage("head web is of pool api");
        assertThat(follower.snapshots()).isEmpty();
    }

    @Test
    void aPoolsRowsAndHeadShareItsPartition() {
        int partition = SnapshotFollower.partition("web", 12);
        assertThat(List.of("web/a", "web/zz-9", "web")).allMatch(key -> SnapshotFollower.partition(key, 12) == partition);
    }
}
