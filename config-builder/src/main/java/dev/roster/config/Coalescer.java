package dev.roster.config;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * When {@link ConfigBuilder} renders the snapshot changes it has read: the coalescing rule, on a clock of
 * nanoseconds ({@link System#nanoTime()} in the builder, any numbers in tests). Not thread-safe: one caller.
 *
 * <p>A change is rendered once no other came for {@code quietWindow}, at the latest {@code maxWait} after the
 * first change of the burst. A version that needs a reload, when HAProxy reloaded less than {@code maxWait}
 * ago, waits until {@code maxWait} after that reload ({@link #waitForReload()}), taking in the changes that
 * come meanwhile; a version the runtime API makes live does not wait for anything but the quiet window. A
 * failed attempt is tried again no sooner than the retry delay.
 */
final class Coalescer {
    private final long quietWindow;
    private final long maxWait;
    private boolean pending;
    private long firstAt;
    private long lastAt;
    private boolean waitsForReload;
    private long retryAt = Long.MIN_VALUE;

    Coalescer(Duration quietWindow, Duration maxWait) {
        this.quietWindow = quietWindow.toNanos();
        this.maxWait = maxWait.toNanos();
    }

    /** Changes arrived at {@code now}. */
    void changed(long now) {
        if (!pending) {
            pending = true;
            firstAt = now;
        }
        lastAt = now;
    }

    /** Whether changes wait to be rendered. */
    boolean pending() {
        return pending;
    }

    /**
     * When to render the pending changes.
     *
     * @param lastReload when HAProxy last reloaded, if it did
     * @return that time, or {@link Long#MAX_VALUE} when nothing is pending
     */
    long due(OptionalLong lastReload) {
        if (!pending) {
            return Long.MAX_VALUE;
        }
        long due = Math.min(lastAt + quietWindow, firstAt + maxWait);
        if (waitsForReload) {
            due = Math.max(due, reloadAllowedAt(lastReload));
        }
        return Math.max(due, retryAt);
    }

    /** Whether a version rendered at {@code now} may reload HAProxy: {@code maxWait} after the previous reload. */
    boolean mayReload(long now, OptionalLong lastReload) {
        return now >= reloadAllowedAt(lastReload);
    }

    /** The render needed a reload that {@link #mayReload} refused: try again once it allows one. */
    void waitForReload() {
        waitsForReload = true;
    }

    /** The render failed at {@code now}: try again after {@code retryDelay}. */
    void failed(long now, Duration retryDelay) {
        retryAt = now + retryDelay.toNanos();
    }

    /** The pending changes are rendered (made a version, or found to change nothing). */
    void done() {
        pending = false;
        waitsForReload = false;
        retryAt = Long.MIN_VALUE;
    }

    private long reloadAllowedAt(OptionalLong lastReload) {
        return lastReload.isPresent() ? lastReload.getAsLong() + maxWait : Long.MIN_VALUE;
    }
}
