package dev.roster.core;

import java.time.Instant;

/**
 * One membership event of {@code roster.events}: the source of truth Roster folds into member sets.
 * Types are past tense and each has a stable wire name ({@link #type()}).
 *
 * <p>Every event carries {@code id} (the idempotency key), {@code pool}, {@code member},
 * {@code incarnation} (grows on every agent start, so events of an older run are recognisably stale),
 * {@code at} (UTC instant the event was written) and {@code source} (who wrote it).
 */
public sealed interface MemberEvent permits MemberJoined, MemberUpdated, MemberDraining, MemberLeft, MemberFailed,
        MemberRecovered {
    /** The event schema this code writes; older ones are upcast on read (see {@code Upcasters}). */
    int SCHEMA = 2;

    String id();

    String pool();

    String member();

    long incarnation();

    Instant at();

    String source();

    /** The stable wire name, such as {@code member-joined}. */
    String type();

    /** Checks the fields every event shares; used by the records' compact constructors. */
    static void validateCommon(String id, String pool, String member, long incarnation, Instant at, String source) {
        Fields.id("id", id);
        Fields.name("pool", pool);
        Fields.name("member", member);
        Fields.incarnation("incarnation", incarnation);
        if (at == null) {
            throw new IllegalArgumentException("at is required");
        }
        Fields.label("source", source);
    }
}
