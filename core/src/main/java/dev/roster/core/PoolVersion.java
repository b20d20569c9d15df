package dev.roster.core;

import java.time.Instant;

/**
 * The head of a pool on {@code roster.snapshots}: the pool is at {@code version} once the member rows
 * before this record in its partition are applied (see {@link SnapshotFollower}).
 *
 * @param size    how many members the pool has at this version
 * @param through the {@code roster.events} record whose fold produced this version; replaying the
 *                pool's events up to and including it gives the same members
 * @param at      the time of that event (event time, not wall-clock time of the fold)
 */
public record PoolVersion(String pool, long version, int size, LogPosition through, Instant at) {
    public PoolVersion {
        Fields.name("pool", pool);
    }
}
