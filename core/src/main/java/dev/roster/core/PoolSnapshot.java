package dev.roster.core;

import java.time.Instant;
import java.util.List;

/**
 * The member set of a pool as published on {@code roster.snapshots} after each change.
 *
 * @param through the {@code roster.events} record whose fold produced this version; replaying the
 *                pool's events up to and including it gives the same members
 * @param at      the time of that event (event time, not wall-clock time of the fold)
 */
public record PoolSnapshot(String pool, long version, List<Member> members, LogPosition through, Instant at) {
    public PoolSnapshot {
        Fields.name("pool", pool);
        members = List.copyOf(members);
    }

    public static PoolSnapshot of(MemberSet set, LogPosition through, Instant at) {
        return new PoolSnapshot(set.pool(), set.version(), set.memberList(), through, at);
    }
}
