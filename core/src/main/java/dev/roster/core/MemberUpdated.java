package dev.roster.core;

import java.time.Instant;
import java.util.Map;

/**
 * A present member changed how it is served, without leaving: each of {@code address}, {@code port},
 * {@code weight} and {@code tags} is either the new value or null for "unchanged"; at least one is set.
 */
public record MemberUpdated(String id, String pool, String member, long incarnation, Instant at, String source,
                            String address, Integer port, Integer weight, Map<String, String> tags)
        implements MemberEvent {
    public static final String TYPE = "member-updated";

    public MemberUpdated {
        MemberEvent.validateCommon(id, pool, member, incarnation, at, source);
        if (address == null && port == null && weight == null && tags == null) {
            throw new IllegalArgumentException("member-updated must change at least one of address, port, weight, tags");
        }
        if (address != null) {
            Fields.address("address", address);
        }
        if (port != null) {
            Fields.port("port", port);
        }
        if (weight != null) {
            Fields.weight("weight", weight);
        }
        tags = tags == null ? null : Fields.tags("tags", tags);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The member with this update applied. */
    public Member applyTo(Member member) {
        return new Member(member.name(), address == null ? member.address() : address,
                port == null ? member.port() : port, weight == null ? member.weight() : weight,
                tags == null ? member.tags() : tags, member.state());
    }
}
