package dev.roster.history;

import java.time.Instant;

/**
 * The state stores of the history-api topology and how their keys are laid out. Keys are strings
 * built from validated names, which never contain {@code /}, so a prefix or range scan on
 * {@code "pool/"} returns exactly one pool's entries; numbers are zero-padded to 19 digits so that
 * byte order is numeric order. Every query is a point read or a bounded range scan of one pool's keys.
 */
public final class Stores {
    /**
     * pool → {@link dev.roster.core.PoolHead}: the pool's version, clock and size. Cached: however many events
     * a pool gets between two commits, its changelog gets one record.
     */
    public static final String POOL_HEADS = "pool-heads";
    /**
     * pool/member → {@link dev.roster.core.MemberState}: each member's fold state. With the heads, the fold's
     * whole state: an event reads and writes one row, whatever the pool's size.
     */
    public static final String POOL_MEMBERS = "pool-members";
    /**
     * pool/event id → where on the pool's clock (ms) it was first seen: the ids the fold remembers, those of
     * the last {@link dev.roster.core.DedupWindow}; older ones are deleted as the pool's clock moves on.
     */
    public static final String SEEN_IDS = "seen-ids";
    /** pool → the {@link #POOL_LOG} key up to which the ids of the pool's events have been forgotten. */
    public static final String IDS_FORGOTTEN = "seen-ids-forgotten";
    /**
     * pool/since/offset → logged event: the pool's log in log order. {@code since} is the event's place
     * on the pool's clock (see {@link dev.roster.core.PoolHead#clock()}), so a time range is a key range.
     */
    public static final String POOL_LOG = "pool-log";
    /** pool/member/offset → the event's key in {@link #POOL_LOG}: one member's history, in order. */
    public static final String MEMBER_EVENTS = "member-events";
    /** pool/version → {@link PoolChange}: what each version changed, and since when it was current. */
    public static final String POOL_CHANGES = "pool-changes";
    /**
     * pool/version/member → {@link dev.roster.core.Member}: the whole member set at some versions
     * (see {@link PoolChange#checkpoint()}), from which any version is rebuilt with a few changes.
     */
    public static final String POOL_CHECKPOINTS = "pool-checkpoints";
    /**
     * pool/member → {@link Liveness}, and the members in the order they are due ({@link LivenessTable}): what
     * the failure detector knows of each present member. In memory and without a changelog: after a restart
     * every present member gets a full timeout, so nothing of it needs to survive, and a heartbeat costs no
     * write to Kafka.
     */
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

    /** The greatest pool log key of the pool before {@code millis} on its clock. */
    static String poolLogKeyBefore(String pool, long millis) {
        long nanos = millis >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : Math.max(0, Math.max(0, millis) * 1_000_000L - 1);
        return pool + "/" + padded(nanos) + "/" + MAX_NUMBER;
    }

    /** The place on the pool's clock of a pool log key, in whole milliseconds. */
    static long poolLogMillis(String poolLogKey) {
        int start = poolLogKey.indexOf('/') + 1;
        return Long.parseLong(poolLogKey.substring(start, start + 19)) / 1_000_000L;
    }

    static String seenIdKey(String pool, String id) {
        return pool + "/" + id;
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

    static String memberKey(String pool, String member) {
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

    /** {@code number} (0 or more) as 19 digits, zero-padded: what {@code %019d} gives, without a formatter. */
    static String padded(long number) {
        if (number < 0) {
            throw new IllegalArgumentException("key numbers are 0 or more, was " + number);
        }
        char[] digits = new char[19];
        for (int i = 18; i >= 0; i--) {
            digits[i] = (char) ('0' + number % 10);
            number /= 10;
        }
        return new String(digits);
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
