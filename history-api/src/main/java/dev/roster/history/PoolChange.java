package dev.roster.history;

import dev.roster.core.Member;

import java.time.Instant;

/**
 * One version of a pool, as {@link Stores#POOL_CHANGES} keeps it: the single member the event changed
 * and how, where the event sits in the log, and since when the version was current.
 *
 * @param since      when this version became current on the pool's clock: the event's {@code at}, or the
 *                   previous version's {@code since} if that is later (an agent whose clock runs behind
 *                   cannot move the pool's history backwards); never decreases from one version to the next
 * @param at         the event's own {@code at}
 * @param type       the event's type, such as {@code member-failed}
 * @param after      the member after the event, or null when the event removed it (left or failed)
 * @param checkpoint the newest version at or before this one whose whole member set is kept in
 *                   {@link Stores#POOL_CHECKPOINTS}; 0 means "from the empty pool"
 */
public record PoolChange(long version, Instant since, Instant at, int partition, long offset, String type,
                         String member, Member after, long checkpoint) {
}
