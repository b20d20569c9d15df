package dev.roster.core;

import java.time.Instant;

/**
 * What a pool's state holds besides its members: the version, which grows by exactly one each time the
 * member set changes, and the pool's clock.
 *
 * @param clock the latest {@code at} of the pool's events so far: an event stamped earlier (an agent whose
 *              clock runs behind) is placed at this time, so log order and time order agree; the epoch for
 *              a pool without events
 * @param size  how many members it has now
 */
public record PoolHead(String pool, long version, Instant clock, int size) {
    public PoolHead {
        Fields.name("pool", pool);
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock is required");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be 0 or more, was " + size);
        }
    }

    public static PoolHead empty(String pool) {
        return new PoolHead(pool, 0, Instant.EPOCH, 0);
    }

    /** Where an event stamped {@code at} is placed on this pool's clock: never before an earlier event. */
    public Instant place(Instant at) {
        return at.isAfter(clock) ? at : clock;
    }
}
