package dev.roster.core;

import java.util.Map;

/**
 * A member as the load balancer sees it: everything here may be rendered into {@code haproxy.cfg},
 * so every field is validated on construction.
 *
 * @param weight HAProxy weight 0-256
 * @param state  {@link #ACTIVE} or {@link #DRAINING} (kept in the config, gets no new traffic)
 */
public record Member(String name, String address, int port, int weight, Map<String, String> tags, String state) {
    public static final String ACTIVE = "active";
    public static final String DRAINING = "draining";

    public Member {
        Fields.name("member", name);
        Fields.address("address", address);
        Fields.port("port", port);
        Fields.weight("weight", weight);
        tags = Fields.tags("tags", tags);
        state = state == null ? ACTIVE : state;
        if (!state.equals(ACTIVE) && !state.equals(DRAINING)) {
            throw new IllegalArgumentException("state must be active or draining, was " + Fields.quote(state));
        }
    }

    /** An active member. */
    public Member(String name, String address, int port, int weight, Map<String, String> tags) {
        this(name, address, port, weight, tags, ACTIVE);
    }

    public boolean draining() {
        return DRAINING.equals(state);
    }

    public Member withState(String newState) {
        return new Member(name, address, port, weight, tags, newState);
    }
}
