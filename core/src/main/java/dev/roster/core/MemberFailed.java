package dev.roster.core;

import java.time.Instant;

/** A member was declared failed, typically by the failure detector when its heartbeats stopped. */
public record MemberFailed(String id, String pool, String member, long incarnation, Instant at, String source,
                           String reason) implements MemberEvent {
    public static final String TYPE = "member-failed";

    public MemberFailed {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
        reason = reason == null ? "" : reason;
        if (reason.length() > 256 || reason.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("reason must be at most 256 printable ASCII characters, was "
                    + Fields.quote(reason));
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
