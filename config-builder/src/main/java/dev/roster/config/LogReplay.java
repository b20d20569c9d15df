package dev.roster.config;

import dev.roster.core.Admission;
import dev.roster.core.DedupWindow;
import dev.roster.core.LogPosition;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberSet;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.Replay;

import java.time.Instant;
import java.util.Optional;

/**
 * Folds raw {@code roster.events} records exactly as history-api's fold does, through the same
 * {@link Admission}, and says which snapshot it would have published for each: a record that is not a valid
 * event, or whose key is not its pool, is skipped (history-api sends it to the dead letters); an event id
 * seen before within the dedup window is ignored; every event that changes its pool's member set gives a
 * snapshot whose {@code through} is the record's position and whose {@code at} is the event's time. Feed it
 * each partition in log order. No Kafka, no clock.
 */
public final class LogReplay {
    private final Replay replay;
    private long records;
    private long skipped;

    /** @param window the history-api's dedup window: the replay decides as the live fold did only with the same */
    public LogReplay(DedupWindow window) {
        this.replay = new Replay(window);
    }

    public LogReplay() {
        this(DedupWindow.DEFAULT);
    }

    /**
     * A change of a pool's member set: what history-api published a snapshot for. The snapshot itself is
     * made only when asked for, as copying the members of every change would dominate a long replay.
     *
     * @param through the position of the record that made the change
     * @param at      the event's time
     */
    public record Change(MemberSet set, LogPosition through, Instant at) {
        public String pool() {
            return set.pool();
        }

        public PoolSnapshot snapshot() {
            return PoolSnapshot.of(set, through, at);
        }
    }

    /**
     * Folds one record.
     *
     * @param key   the record key (the pool), may be null
     * @param value the record value, may be null
     * @return the snapshot history-api published for this record, or empty when it changed nothing
     */
    public Optional<PoolSnapshot> accept(int partition, long offset, String key, byte[] value) {
        return fold(partition, offset, key, value).map(Change::snapshot);
    }

    /** As {@link #accept}, without making the snapshot. */
    public Optional<Change> fold(int partition, long offset, String key, byte[] value) {
        records++;
        Admission.Read read = Admission.read(key, value);
        if (read.refused()) {
            skipped++;
            return Optional.empty();
        }
        MemberEvent event = read.event();
        if (!replay.apply(event)) {
            return Optional.empty();
        }
        MemberSet set = replay.pool(event.pool()).orElseThrow();
        return Optional.of(new Change(set, new LogPosition(partition, offset), event.at()));
    }

    /** Records read so far. */
    public long records() {
        return records;
    }

    /** Records skipped as history-api dead-letters them (invalid, or keyed by another pool). */
    public long skipped() {
        return skipped;
    }
}
