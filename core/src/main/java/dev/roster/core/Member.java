package dev.roster.core;

import java.util.Map;

/**
 * A member as the load balancer sees it: everything here may be rendered into {@code haproxy.cfg},
 * so every field is validated on construction.
 */
public record Member(String name, String address, int port, int weight, Map<String, String> tags) {
    public Member {
        Fields.name("member", name);
        Fields.address("address", address);
        Fields.port("port", port);
        Fields.weight("weight", weight);
        tags = Fields.tags("tags", tags);
    }
}
