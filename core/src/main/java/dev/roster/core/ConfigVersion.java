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
 * @param templateSha256 hex digest of the template it was rendered with
 * @param through      the {@code roster.events} position each pool was folded through, by pool
 * @param config       the rendered configuration itself, so that readers of the topic need no file access
 * @param reloadMillis how long HAProxy's reload with this version took, confirmed; null when the version
 *                     went live without a reload (runtime API, HAProxy not running) or not at all
 */
public record ConfigVersion(String instance, long version, String sha256, Map<String, Long> poolVersions,
                            String status, String reason, Instant at, String templateSha256,
                            Map<String, LogPosition> through, String config, Long reloadMillis) {
    public static final String APPLIED = "applied";
    public static final String REJECTED = "rejected";

    public ConfigVersion {
        poolVersions = Map.copyOf(poolVersions);
        reason = reason == null ? "" : reason;
        templateSha256 = templateSha256 == null ? "" : templateSha256;
        through = through == null ? Map.of() : Map.copyOf(through);
        config = config == null ? "" : config;
    }

    /** A version that went live without a reload, or was rejected. */
    public ConfigVersion(String instance, long version, String sha256, Map<String, Long> poolVersions, String status,
                         String reason, Instant at, String templateSha256, Map<String, LogPosition> through,
                         String config) {
        this(instance, version, sha256, poolVersions, status, reason, at, templateSha256, through, config, null);
    }
}
