package dev.roster.core;

import java.time.Instant;

/** A member is about to leave: it stays in the config but gets no new traffic until it leaves. */
public record MemberDraining(String id, String pool, String member, long incarnation, Instant at, String source)
        implements MemberEvent {
    public static final String TYPE = "member-draining";

    public MemberDraining {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
