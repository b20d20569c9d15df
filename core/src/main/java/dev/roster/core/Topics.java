package dev.roster.core;

import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;

/** Every topic Roster reads or writes. Events and heartbeats are keyed by pool: one total order per pool. */
public final class Topics {
    /** Largest record of roster.config-versions (a config's text is in it). */
    public static final int MAX_CONFIG_RECORD_BYTES = 16 * 1024 * 1024;

    /**
     * The history itself: never compacted, never expired. Values stay raw bytes so that a record the
     * app cannot read still reaches the dead letters byte for byte.
     */
    public static final Topic<String, byte[]> EVENTS = new Topic<>("roster.events", Serdes.String(), Serdes.ByteArray(),
            Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1"));
    /** Signs of life; only the recent past matters. */
    public static final Topic<String, byte[]> HEARTBEATS = new Topic<>("roster.heartbeats", Serdes.String(),
            Serdes.ByteArray(), Map.of("cleanup.policy", "delete", "retention.ms", "3600000"));
    /**
     * The current member set of each pool as a row per member plus a head per pool ({@link SnapshotFollower}
     * reads them): compacted, so a reader starting late gets every pool at once.
     */
    public static final Topic<String, byte[]> SNAPSHOTS = new Topic<>("roster.snapshots", Serdes.String(),
            Serdes.ByteArray(), Map.of("cleanup.policy", "compact"));
    /**
     * Every config version each HAProxy instance built, applied or rejected, with its text: up to 16 MiB
     * a record, room for tens of thousands of servers.
     */
    public static final Topic<String, ConfigVersion> CONFIG_VERSIONS = new Topic<>("roster.config-versions",
            Serdes.String(), new JsonSerde<>(ConfigVersion.class),
            Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1",
                    "max.message.bytes", String.valueOf(MAX_CONFIG_RECORD_BYTES)));
    /** What was refused and why, kept 30 days. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS = new Topic<>("roster.dead-letters", Serdes.String(),
            new JsonSerde<>(DeadLetter.class), Map.of("cleanup.policy", "delete", "retention.ms", "2592000000"));

    public static final List<Topic<?, ?>> ALL = List.of(EVENTS, HEARTBEATS, SNAPSHOTS, CONFIG_VERSIONS, DEAD_LETTERS);

    private Topics() {
    }
}
