package dev.roster.history;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the fold did since this process started. */
public final class FoldMetrics {
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong failuresDetected = new AtomicLong();

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
}
