package dev.roster.history;

/**
 * The state stores of the history-api topology and how their keys are laid out. Keys are strings
 * built from validated names, which never contain {@code /}, so a prefix scan on {@code "pool/"}
 * returns exactly one pool's entries; offsets are zero-padded so byte order is log order.
 */
public final class Stores {
    /** pool → {@link dev.roster.core.MemberSet}: the fold's state. */
    public static final String POOL_STATE = "pool-state";
    /** pool/offset → logged event: the pool's log, in order. */
    public static final String POOL_EVENTS = "pool-events";
    /** pool/member/offset → logged event: one member's history, in order. */
    public static final String MEMBER_EVENTS = "member-events";
    /** pool/event id → offset of its first occurrence: the idempotency keys seen so far. */
    public static final String SEEN_IDS = "seen-ids";

    /** pool/member → {@link Liveness}: what the failure detector knows of each present member. */
    public static final String LIVENESS = "liveness";

    private Stores() {
    }

    static String poolEventKey(String pool, long offset) {
        return pool + "/" + padded(offset);
    }

    static String memberEventKey(String pool, String member, long offset) {
        return pool + "/" + member + "/" + padded(offset);
    }

    static String seenIdKey(String pool, String id) {
        return pool + "/" + id;
    }

    static String livenessKey(String pool, String member) {
        return pool + "/" + member;
    }

    static String padded(long offset) {
        return String.format("%019d", offset);
    }
}
