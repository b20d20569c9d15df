package dev.roster.config;

import dev.roster.core.ConfigVersion;
import dev.roster.core.LogPosition;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest of one config version ({@code versions/haproxy-NNNNNN.json}), also what listeners of
 * {@link ConfigBuilder} are told. It names everything the text was made from, so that
 * {@code roster rebuild} can make it again from the log: the pools' versions and log positions, the
 * template (kept in {@code versions/templates/<templateSha256>.hbs}) and the render parameters. It holds
 * no wall-clock time.
 *
 * @param version        1, 2, 3 … in the order versions were written
 * @param instance       the HAProxy instance id
 * @param sha256         lower-case hex SHA-256 of the rendered bytes ({@code haproxy-NNNNNN.cfg})
 * @param templateSha256 lower-case hex SHA-256 of the template it was rendered with; "" if unknown (a
 *                       version abandoned after a crash)
 * @param poolVersions   each pool's version, by pool name
 * @param through        the {@code roster.events} position each pool was folded through, by pool name
 * @param status         {@link #APPLIED} (made live) or {@link #REJECTED} (never ran: {@code haproxy -c}
 *                       refused it, or HAProxy failed to reload with it and the builder went back)
 * @param reason         HAProxy's message for a rejection, what went wrong, or what was special about the
 *                       activation; empty when there is nothing to say
 * @param render         the render parameters; null when unknown (abandoned versions, older builders)
 * @param activation     how it went live: {@link #BY_RELOAD}, {@link #BY_RUNTIME_API}, {@link #BY_FILE}
 *                       (live file only: no HAProxy to reload), or {@link #NOT_ACTIVATED}
 * @param runtimeCommands the runtime API commands tried for it ({@code set server …}), in order; when the
 *                       runtime API refused one, it is the last and {@code reason} says so; may be empty
 * @param origin         {@link #BUILDER} (rendered from the log) or {@link #OPERATOR} ({@code roster config
 *                       activate}: a copy of an earlier version made live by hand)
 * @param sourceVersion  for an operator activation, the version it copies; otherwise 0
 * @param rolledBackTo   when HAProxy failed to reload with this version, the version made live again
 *                       instead; otherwise 0
 */
public record VersionRecord(long version, String instance, String sha256, String templateSha256,
                            Map<String, Long> poolVersions, Map<String, LogPosition> through, String status,
                            String reason, RenderParameters render, String activation, List<String> runtimeCommands,
                            String origin, long sourceVersion, long rolledBackTo) {
    public static final String APPLIED = ConfigVersion.APPLIED;
    public static final String REJECTED = ConfigVersion.REJECTED;
    public static final String BY_RELOAD = "reload";
    public static final String BY_RUNTIME_API = "runtime-api";
    public static final String BY_FILE = "file";
    public static final String NOT_ACTIVATED = "none";
    public static final String BUILDER = "builder";
    public static final String OPERATOR = "operator";

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
        templateSha256 = templateSha256 == null ? "" : templateSha256;
        activation = activation == null ? (APPLIED.equals(status) ? BY_RELOAD : NOT_ACTIVATED) : activation;
        runtimeCommands = runtimeCommands == null ? List.of() : List.copyOf(runtimeCommands);
        origin = origin == null ? BUILDER : origin;
    }

    /** A version the builder rendered, as the walking skeleton recorded them (no render parameters). */
    public VersionRecord(long version, String instance, String sha256, String templateSha256,
                         Map<String, Long> poolVersions, Map<String, LogPosition> through, String status, String reason) {
        this(version, instance, sha256, templateSha256, poolVersions, through, status, reason, null, null, null,
                BUILDER, 0, 0);
    }

    public boolean applied() {
        return APPLIED.equals(status);
    }

    /** Whether an operator made it live by hand ({@code roster config activate}). */
    public boolean byOperator() {
        return OPERATOR.equals(origin);
    }

    /** Whether the manifest names everything needed to render the version again from the log. */
    public boolean rebuildable() {
        return render != null && !templateSha256.isEmpty();
    }

    /**
     * The record published on {@code roster.config-versions}; {@code at} is when activation was tried,
     * {@code config} the rendered text.
     */
    public ConfigVersion toConfigVersion(Instant at, String config) {
        return toConfigVersion(at, config, null);
    }

    /** As {@link #toConfigVersion(Instant, String)}, with how long HAProxy's reload took (null: no reload). */
    public ConfigVersion toConfigVersion(Instant at, String config, Long reloadMillis) {
        return new ConfigVersion(instance, version, sha256, poolVersions, status, reason, at, templateSha256, through,
                config, reloadMillis);
    }
}
