package dev.roster.config;

/**
 * Named points between the steps of making a version live, where a test can stop the builder as a crash
 * would (for example by halting the JVM). Production code uses {@link #NONE}. The points, in order:
 * {@link Step}.
 */
@FunctionalInterface
public interface FaultPoints {
    /** Does nothing: the points cost one call each. */
    FaultPoints NONE = step -> {
    };

    /** The steps of one activation, in the order they happen; a crash may come after any of them. */
    enum Step {
        /** {@code versions/haproxy-NNNNNN.cfg} is written, no manifest yet. */
        VERSION_WRITTEN,
        /** {@code haproxy -c} accepted it. */
        VALIDATED,
        /** {@code show servers state} is saved to the server-state file. */
        STATE_SAVED,
        /** The new text is in a temporary file beside the live file, not yet synced. */
        LIVE_TEMP_WRITTEN,
        /** The temporary file is synced to disk. */
        LIVE_TEMP_SYNCED,
        /** The temporary file is renamed over the live file. */
        LIVE_RENAMED,
        /** The live file's folder is synced, so the rename is durable. */
        LIVE_DIR_SYNCED,
        /** HAProxy was asked to reload, and answered (or the runtime API applied the change). */
        RELOADED,
        /** The manifest is written: the version is decided. */
        MANIFEST_WRITTEN
    }

    /** Called once {@code step} is done. May throw or halt to simulate a crash right after it. */
    void reached(Step step);
}
