package dev.roster.core;

import java.time.Instant;

/** A member left on purpose (its agent shut down cleanly). */
public record MemberLeft(String id, String pool, String member, long incarnation, Instant at, String source)
        implements MemberEvent {
    public static final String TYPE = "member-left";

    public MemberLeft {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
