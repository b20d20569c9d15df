package dev.roster.core;

import java.time.Instant;
import java.util.Map;

/** A member announced itself: it serves {@code address:port} with {@code weight} (0-256). */
public record MemberJoined(String id, String pool, String member, long incarnation, Instant at, String source,
                           String address, int port, int weight, Map<String, String> tags) implements MemberEvent {
    public static final String TYPE = "member-joined";
    /** HAProxy's weight scale is 0-256; 100 leaves room to weigh a member up or down. */
    public static final int DEFAULT_WEIGHT = 100;

    public MemberJoined {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
        Fields.address("address", address);
        Fields.port("port", port);
        Fields.weight("weight", weight);
        tags = Fields.tags("tags", tags);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The member as it is served once this event is folded. */
    public Member toMember() {
        return new Member(member, address, port, weight, tags);
    }
}
