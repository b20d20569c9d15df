package dev.roster.config;

import dev.roster.core.ConfigVersion;
import dev.roster.core.LogPosition;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest of one config version ({@code versions/haproxy-NNNNNN.json}), also what listeners of
 * {@link ConfigBuilder} are told. It holds no wall-clock time: the manifest of a replayed version is
 * the same as the original's, apart from {@code status} and {@code reason}.
 *
 * @param version        1, 2, 3 … in the order versions were written
 * @param instance       the HAProxy instance id
 * @param sha256         lower-case hex SHA-256 of the rendered bytes ({@code haproxy-NNNNNN.cfg})
 * @param templateSha256 lower-case hex SHA-256 of the template it was rendered with
 * @param poolVersions   each pool's version, by pool name
 * @param through        the {@code roster.events} position each pool was folded through, by pool name
 * @param status         {@link #APPLIED} (made live) or {@link #REJECTED} ({@code haproxy -c} refused it; never live)
 * @param reason         why it was rejected (HAProxy's own output), or what went wrong after it was made
 *                       live (a failed reload); empty when there is nothing to say
 */
public record VersionRecord(long version, String instance, String sha256, String templateSha256,
                            Map<String, Long> poolVersions, Map<String, LogPosition> through, String status,
                            String reason) {
    public static final String APPLIED = ConfigVersion.APPLIED;
    public static final String REJECTED = ConfigVersion.REJECTED;

    public VersionRecord {
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        if (!APPLIED.equals(status) && !REJECTED.equals(status)) {
            throw new IllegalArgumentException("status must be applied or rejected, was " + status);
        }
        // Sorted, so that the manifest's JSON is in a stable order whatever map was passed in.
        poolVersions = Collections.unmodifiableMap(new TreeMap<>(poolVersions));
        through = Collections.unmodifiableMap(new TreeMap<>(through));
        reason = reason == null ? "" : reason;
    }

    public boolean applied() {
        return APPLIED.equals(status);
    }

    /**
     * The record published on {@code roster.config-versions}; {@code at} is when activation was tried,
     * {@code config} the rendered text.
     */
    public ConfigVersion toConfigVersion(Instant at, String config) {
        return new ConfigVersion(instance, version, sha256, poolVersions, status, reason, at, templateSha256, through,
                config);
    }
}
