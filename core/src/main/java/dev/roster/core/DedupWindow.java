package dev.roster.core;

import java.time.Duration;

/**
 * How long the fold remembers an event id to ignore a repeated event: an id seen again while its pool's
 * clock is at most {@code retention} past the place it was first seen at is a duplicate. Older ids are
 * forgotten, so the ids kept grow with the events of the last {@code retention}, not with every event ever
 * folded. An event repeated later than that is folded again like a new one; the incarnation rules still
 * make most of those change nothing (see docs/events.md).
 *
 * @param retention how far back on the pool's clock (the latest {@code at} of its events) ids are kept
 */
public record DedupWindow(Duration retention) {
    /** A day: see docs/events.md for why. */
    public static final DedupWindow DEFAULT = new DedupWindow(Duration.ofHours(24));

    public DedupWindow {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("dedup-window must be positive, was " + retention);
        }
    }

    /** Whether an id first seen at {@code seenAtMillis} on the pool's clock is still remembered at {@code nowMillis}. */
    public boolean remembers(long seenAtMillis, long nowMillis) {
        return nowMillis - seenAtMillis <= retention.toMillis();
    }

    /** The oldest place on the pool's clock whose ids are still remembered at {@code nowMillis}. */
    public long oldestRemembered(long nowMillis) {
        return nowMillis - retention.toMillis();
    }
}
