package dev.roster.history;

/**
 * What the failure detector knows of one member: the incarnation it watches, when (wall clock, ms)
 * it last heard of it, whether a failure or recovery it wrote is still on its way through the log, and
 * where it stands in the deadline queue.
 *
 * @param queuedMs the deadline under which it is queued in the {@link LivenessTable}'s deadline queue; never later than
 *                 {@link #deadline}, as a queued entry found early is queued again at the real deadline
 */
record Liveness(long incarnation, long lastSeenMs, State state, long queuedMs) {
    enum State {
        /** Present in the member set; fails when silent for longer than the timeout. */
        ALIVE,
        /** member-failed written, not yet folded; written once only. */
        FAILURE_SENT,
        /** member-recovered written, not yet folded; written once only. */
        RECOVERY_SENT
    }

    /** A failure or recovery that was written but changed nothing is forgotten after this many timeouts. */
    static final int FORGET_AFTER_TIMEOUTS = 10;

    Liveness(long incarnation, long lastSeenMs, State state) {
        this(incarnation, lastSeenMs, state, Long.MAX_VALUE);
    }

    /** When something is due: the member fails (alive), or its written failure or recovery is forgotten. */
    long deadline(long timeoutMs) {
        return lastSeenMs + (state == State.ALIVE ? timeoutMs : FORGET_AFTER_TIMEOUTS * timeoutMs);
    }

    Liveness seenAt(long nowMs) {
        return new Liveness(incarnation, nowMs, state, queuedMs);
    }

    Liveness with(State newState) {
        return new Liveness(incarnation, lastSeenMs, newState, queuedMs);
    }

    Liveness queuedAt(long deadlineMs) {
        return new Liveness(incarnation, lastSeenMs, state, deadlineMs);
    }
}
