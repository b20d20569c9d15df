package dev.roster.core;

import java.time.Instant;

/**
 * A member declared failed showed signs of life again with the same incarnation (its heartbeats came
 * back), so it is admitted again as it was before the failure. Written by the failure detector.
 */
public record MemberRecovered(String id, String pool, String member, long incarnation, Instant at, String source)
        implements MemberEvent {
    public static final String TYPE = "member-recovered";

    public MemberRecovered {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
