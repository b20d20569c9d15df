package dev.roster.core;

import java.time.Instant;

/** A sign of life from a member's agent on {@code roster.heartbeats}; never part of history. */
public record Heartbeat(String pool, String member, long incarnation, Instant at) {
    public Heartbeat {
        Fields.name("pool", pool);
        Fields.name("member", member);
        Fields.incarnation("incarnation", incarnation);
        if (at == null) {
            throw new IllegalArgumentException("at is required");
        }
    }
}
