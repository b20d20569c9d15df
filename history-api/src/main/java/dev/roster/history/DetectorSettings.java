package dev.roster.history;

import java.time.Duration;

/**
 * The failure detector's timing.
 *
 * @param failureTimeout a member silent (no heartbeat, no event) for longer than this is declared failed
 * @param checkInterval  how often members are checked (wall-clock punctuation)
 * @param source         the {@code source} of the events the detector writes
 */
public record DetectorSettings(Duration failureTimeout, Duration checkInterval, String source) {
    public DetectorSettings {
        if (failureTimeout == null || failureTimeout.toMillis() < 10) {
            throw new IllegalArgumentException("failure-timeout must be at least 10 ms, was " + failureTimeout);
        }
        if (checkInterval == null || checkInterval.toMillis() < 1 || checkInterval.compareTo(failureTimeout) > 0) {
            throw new IllegalArgumentException("check-interval must be 1 ms to failure-timeout, was " + checkInterval);
        }
        dev.roster.core.Fields.label("source", source);
    }

    /** Failed after 2 s without a heartbeat (agents beat every 500 ms), checked every 50 ms. */
    public static DetectorSettings defaults() {
        return new DetectorSettings(Duration.ofSeconds(2), Duration.ofMillis(50), "failure-detector");
    }
}
