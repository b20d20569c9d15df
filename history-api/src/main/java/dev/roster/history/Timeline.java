package dev.roster.history;

import dev.roster.core.Member;
import dev.roster.core.PoolHead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who was a member of a pool when, between two instants, as bars: the member set at {@code from}
 * (checkpoint + changes), then each change up to {@code to}. Reads the pool's changes only, never its
 * whole log.
 *
 * @param truncated true when the window held more than the changes asked for; the bars then stop early
 */
public record Timeline(String pool, long version, Instant from, Instant to, boolean truncated,
                       List<MemberBars> members) {

    /** One member's bars, oldest first. */
    public record MemberBars(String member, List<Segment> segments) {
    }

    /**
     * A stretch of time in one state.
     *
     * @param to        null while the stretch goes on at the end of the window
     * @param state     {@code active} or {@code draining}
     * @param startedBy the event type that began it, or null when it began before the window
     * @param endedBy   the event type that ended it ({@code member-left}, {@code member-failed}, …), or null
     */
    public record Segment(Instant from, Instant to, String state, String startedBy, String endedBy) {
    }

    private static final class Open {
        final Instant from;
        final String state;
        final String startedBy;

        Open(Instant from, String state, String startedBy) {
            this.from = from;
            this.state = state;
            this.startedBy = startedBy;
        }
    }

    /**
     * @param from       null: from the oldest change kept, or the latest {@code maxChanges} changes if there are more
     * @param maxChanges most changes read; with an explicit {@code from}, more in the window set {@code truncated}
     */
    public static Timeline of(HistoryQueries queries, PoolHead pool, Instant from, Instant to, int maxChanges) {
        Instant start = from;
        long startVersion;
        if (start == null) {
            // The whole history, from the oldest change kept, starting with the set just before it; or, when
            // that is more than maxChanges, the latest maxChanges changes (the recent past matters most).
            PoolChange first = queries.firstChange(pool.pool()).orElse(null);
            if (first == null) {
                start = to;
                startVersion = pool.version();
            } else if (pool.version() - (first.version() - 1) > maxChanges) {
                startVersion = pool.version() - maxChanges;
                start = queries.membersAt(pool, startVersion).orElseThrow().since();
            } else {
                start = first.since();
                startVersion = first.version() == 1 ? 0 : first.version();
            }
        } else {
            startVersion = queries.versionAt(pool, start);
        }
        HistoryQueries.PoolAt initial = queries.membersAt(pool, startVersion).orElseThrow();
        Map<String, List<Segment>> bars = new TreeMap<>();
        Map<String, Open> open = new HashMap<>();
        for (Member member : initial.members()) {
            open.put(member.name(), new Open(start, member.state(), null));
        }
        List<PoolChange> changes = queries.changes(pool.pool(), startVersion, to, maxChanges + 1);
        boolean truncated = changes.size() > maxChanges;
        if (truncated) {
            changes = changes.subList(0, maxChanges);
        }
        for (PoolChange change : changes) {
            Open current = open.get(change.member());
            String newState = change.after() == null ? null : change.after().state();
            if (current != null && current.state.equals(newState)) {
                continue; // an update in the same state: the bar goes on
            }
            if (current != null) {
                bars.computeIfAbsent(change.member(), m -> new ArrayList<>()).add(
                        new Segment(current.from, change.since(), current.state, current.startedBy, change.type()));
                open.remove(change.member());
            }
            if (newState != null) {
                open.put(change.member(), new Open(change.since(), newState, change.type()));
            }
        }
        open.forEach((member, segment) -> bars.computeIfAbsent(member, m -> new ArrayList<>())
                .add(new Segment(segment.from, null, segment.state, segment.startedBy, null)));
        List<MemberBars> members = new ArrayList<>();
        bars.forEach((member, segments) -> {
            segments.sort((a, b) -> a.from().compareTo(b.from()));
            members.add(new MemberBars(member, segments));
        });
        return new Timeline(pool.pool(), pool.version(), start, to, truncated, members);
    }
}
