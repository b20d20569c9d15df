package dev.roster.core;

import java.time.Instant;
import java.util.Map;

/**
 * A rendered HAProxy configuration as recorded on {@code roster.config-versions}.
 *
 * @param instance     the HAProxy instance id the config was built for (the record key)
 * @param version      the config's number, 1, 2, 3 … per instance
 * @param sha256       hex digest of the rendered bytes
 * @param poolVersions the version of each pool it was rendered from
 * @param status       {@code applied} (live) or {@code rejected} (HAProxy refused it; never live)
 * @param reason       HAProxy's message for a rejected config, or what went wrong; empty when applied
 * @param at           wall-clock time of the activation attempt
 */
public record ConfigVersion(String instance, long version, String sha256, Map<String, Long> poolVersions,
                            String status, String reason, Instant at) {
    public static final String APPLIED = "applied";
    public static final String REJECTED = "rejected";

    public ConfigVersion {
        poolVersions = Map.copyOf(poolVersions);
        reason = reason == null ? "" : reason;
    }
}
