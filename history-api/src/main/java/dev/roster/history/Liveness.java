package dev.roster.history;

import dev.roster.core.JsonSerde;

/**
 * What the failure detector knows of one member: the incarnation it watches, when (wall clock, ms)
 * it last heard of it, and whether a failure or recovery it wrote is still on its way through the log.
 */
record Liveness(long incarnation, long lastSeenMs, State state) {
    enum State {
        /** Present in the member set; fails when silent for longer than the timeout. */
        ALIVE,
        /** member-failed written, not yet folded; written once only. */
        FAILURE_SENT,
        /** member-recovered written, not yet folded; written once only. */
        RECOVERY_SENT
    }

    static final JsonSerde<Liveness> SERDE = new JsonSerde<>(Liveness.class);

    Liveness seenAt(long nowMs) {
        return new Liveness(incarnation, nowMs, state);
    }

    Liveness with(State newState) {
        return new Liveness(incarnation, lastSeenMs, newState);
    }
}
