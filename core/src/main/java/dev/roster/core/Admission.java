package dev.roster.core;

import java.time.Instant;

/**
 * The one way a record of {@code roster.events} enters a pool's state, shared by the history-api's fold
 * and every replay of the log: {@link #read decode, key equals pool}, then {@link #admit duplicate, stale,
 * fold}. Pure: the caller reads the pool's head and the member's entry from wherever it keeps them, and
 * writes back what the outcome says.
 */
public final class Admission {
    private Admission() {
    }

    /** A record read: the event, or why it is refused (the reason its dead letter carries). */
    public record Read(MemberEvent event, String refusal) {
        public boolean refused() {
            return event == null;
        }
    }

    /** What an admitted event did. */
    public enum Verdict {
        /** Its id was seen before within the window: ignored, not even kept in history. */
        DUPLICATE,
        /** Of an older incarnation than the member's: kept in history, changes nothing. */
        STALE,
        /** Folded and changed nothing (a repeated join, a leave of an absent member …). */
        UNCHANGED,
        /** Folded and changed the member set: the pool has a new version. */
        CHANGED;

        /** Whether the event changed the member set (history's "applied"). */
        public boolean applied() {
            return this == CHANGED;
        }
    }

    /**
     * The outcome of one event. Unless it is a duplicate, the caller remembers the event's id as seen at
     * {@code since}.
     *
     * @param head  the pool's head after the event (the same instance for a duplicate)
     * @param state the member's state after the event (the same instance when it did not change)
     * @param since where the event sits on the pool's clock
     */
    public record Outcome(Verdict verdict, PoolHead head, MemberState state, Instant since) {
    }

    /** Decodes a record and checks that its key is its pool. */
    public static Read read(String key, byte[] value) {
        MemberEvent event;
        try {
            event = EventCodec.decode(value);
        } catch (InvalidEventException e) {
            return new Read(null, e.getMessage());
        }
        if (!event.pool().equals(key)) {
            // The key decides the partition, hence the order of a pool's events: a record keyed
            // otherwise may sit in another partition than its pool and cannot be ordered safely.
            return new Read(null, "record key " + (key == null ? "null" : Fields.quote(key))
                    + " does not match pool " + event.pool());
        }
        return new Read(event, null);
    }

    /**
     * Admits one event of the pool.
     *
     * @param head   the pool's head before it ({@link PoolHead#empty} for a new pool)
     * @param state  the member's state before it, null for a name never folded
     * @param seenAt where on the pool's clock (ms) the event's id was first seen, null if it was not (or was
     *               forgotten)
     */
    public static Outcome admit(PoolHead head, MemberState state, Long seenAt, MemberEvent event, DedupWindow window) {
        if (!head.pool().equals(event.pool())) {
            throw new IllegalArgumentException("event for pool " + event.pool() + " admitted into pool " + head.pool());
        }
        Instant since = head.place(event.at());
        if (seenAt != null && window.remembers(seenAt, since.toEpochMilli())) {
            return new Outcome(Verdict.DUPLICATE, head, state, since);
        }
        Verdict verdict;
        MemberState after;
        if (Fold.isStale(state, event)) {
            verdict = Verdict.STALE;
            after = state;
        } else {
            after = Fold.step(state, event);
            verdict = Fold.changesMembership(state, after) ? Verdict.CHANGED : Verdict.UNCHANGED;
        }
        long version = head.version() + (verdict == Verdict.CHANGED ? 1 : 0);
        int size = head.size() + presence(after) - presence(state);
        PoolHead nextHead = version == head.version() && since.equals(head.clock()) ? head
                : new PoolHead(head.pool(), version, since, size);
        return new Outcome(verdict, nextHead, after, since);
    }

    private static int presence(MemberState state) {
        return state != null && state.present() != null ? 1 : 0;
    }
}
