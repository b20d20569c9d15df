package dev.roster.history;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the topology did since this process started. */
public final class FoldMetrics {
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong failuresDetected = new AtomicLong();
    private final AtomicLong configsApplied = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadMillis = new AtomicLong();
    private final AtomicLong configsRejected = new AtomicLong();

    void folded(boolean changed) {
        folded.incrementAndGet();
        if (changed) {
            changes.incrementAndGet();
        }
    }

    void duplicate() {
        duplicates.incrementAndGet();
    }

    void failureDetected() {
        failuresDetected.incrementAndGet();
    }

    void deadLetter() {
        deadLetters.incrementAndGet();
    }

    /** A reload of HAProxy, as a config version record reports it. */
    void reload(long millis) {
        reloads.incrementAndGet();
        reloadMillis.addAndGet(millis);
    }

    /** Reloads reported by the config versions read since start. */
    public long reloads() {
        return reloads.get();
    }

    /** Their total duration, in milliseconds. */
    public long reloadMillis() {
        return reloadMillis.get();
    }

    void configVersion(String status) {
        if (dev.roster.core.ConfigVersion.APPLIED.equals(status)) {
            configsApplied.incrementAndGet();
        } else {
            configsRejected.incrementAndGet();
        }
    }

    /** Valid, new events folded (including those that changed nothing). */
    public long folded() {
        return folded.get();
    }

    /** Events that changed a member set. */
    public long changes() {
        return changes.get();
    }

    /** Events ignored because their id was seen before. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Records refused and sent to the dead letters. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** member-failed events the failure detector wrote. */
    public long failuresDetected() {
        return failuresDetected.get();
    }

    /** Records of roster.config-versions read with status applied (a config that went live). */
    public long configsApplied() {
        return configsApplied.get();
    }

    /** Records of roster.config-versions read with any other status (rejected: never live). */
    public long configsRejected() {
        return configsRejected.get();
    }
}
