package dev.roster.history;

import java.time.Instant;

/**
 * The state stores of the history-api topology and how their keys are laid out. Keys are strings
 * built from validated names, which never contain {@code /}, so a prefix or range scan on
 * {@code "pool/"} returns exactly one pool's entries; numbers are zero-padded to 19 digits so that
 * byte order is numeric order. Every query is a point read or a bounded range scan of one pool's keys.
 */
public final class Stores {
    /** pool → {@link dev.roster.core.MemberSet}: the fold's state. */
    public static final String POOL_STATE = "pool-state";
    /**
     * pool/since/offset → logged event: the pool's log in log order. {@code since} is the event's place
     * on the pool's clock (see {@link #POOL_CLOCK}), so a time range is a key range.
     */
    public static final String POOL_LOG = "pool-log";
    /** pool → the pool's clock: the latest {@code at} of its events so far (ISO-8601). */
    public static final String POOL_CLOCK = "pool-clock";
    /** pool/member/offset → logged event: one member's history, in order. */
    public static final String MEMBER_EVENTS = "member-events";
    /** pool/version → {@link PoolChange}: what each version changed, and since when it was current. */
    public static final String POOL_CHANGES = "pool-changes";
    /**
     * pool/version/member → {@link dev.roster.core.Member}: the whole member set at some versions
     * (see {@link PoolChange#checkpoint()}), from which any version is rebuilt with a few changes.
     */
    public static final String POOL_CHECKPOINTS = "pool-checkpoints";
    /** pool/event id → offset of its first occurrence: the idempotency keys seen so far. */
    public static final String SEEN_IDS = "seen-ids";
    /** pool/member → {@link Liveness}: what the failure detector knows of each present member. */
    public static final String LIVENESS = "liveness";

    /**
     * Global (every instance holds all of it), from roster.config-versions: {@code v/instance/version}
     * → the record; {@code t/instance/at/version} → nothing, an index of applied versions by time;
     * {@code i/instance} → the instance's highest version.
     */
    public static final String CONFIG_VERSIONS = "config-versions";
    /** Global, from roster.dead-letters: {@code at/partition/offset} → the dead letter. */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Larger than any 19-digit key part: the upper end of "everything after this prefix". */
    static final String MAX_NUMBER = "9999999999999999999";

    private Stores() {
    }

    static String poolLogKey(String pool, Instant since, long offset) {
        return pool + "/" + timeKey(since) + "/" + padded(offset);
    }

    static String memberEventKey(String pool, String member, long offset) {
        return pool + "/" + member + "/" + padded(offset);
    }

    static String changeKey(String pool, long version) {
        return pool + "/" + padded(version);
    }

    static String checkpointPrefix(String pool, long version) {
        return pool + "/" + padded(version) + "/";
    }

    static String seenIdKey(String pool, String id) {
        return pool + "/" + id;
    }

    static String livenessKey(String pool, String member) {
        return pool + "/" + member;
    }

    static String configKey(String instance, long version) {
        return "v/" + instance + "/" + padded(version);
    }

    static String configTimeKey(String instance, Instant at, long version) {
        return "t/" + instance + "/" + timeKey(at) + "/" + padded(version);
    }

    static String configInstanceKey(String instance) {
        return "i/" + instance;
    }

    static String deadLetterKey(Instant at, int partition, long offset) {
        return timeKey(at) + "/" + String.format("%010d", partition) + "/" + padded(offset);
    }

    static String padded(long number) {
        return String.format("%019d", number);
    }

    /**
     * An instant as 19 digits of nanoseconds since the epoch, so that key order is time order. Instants
     * before 1970 sort as 1970 and those after 2262 as 2262: equal keys, then ordered by what follows.
     */
    static String timeKey(Instant at) {
        long nanos;
        if (at.getEpochSecond() < 0) {
            nanos = 0;
        } else {
            try {
                nanos = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
        }
        return padded(nanos);
    }

    /** The smallest key greater than {@code key}: where a page that ended at {@code key} goes on. */
    static String after(String key) {
        return key + "\u0000";
    }
}
