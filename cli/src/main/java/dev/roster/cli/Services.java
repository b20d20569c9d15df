package dev.roster.cli;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Keeps a long-running command alive until SIGTERM or SIGINT, then closes what it started. */
final class Services {
    /** How often a service's health is looked at. */
    private static final long CHECK_INTERVAL_MS = 1000;

    private Services() {
    }

    /** Blocks until the JVM is asked to stop; {@code onStop} runs in the shutdown hook, before exit. */
    static void runUntilStopped(Runnable onStop) throws InterruptedException {
        runUntilStopped(onStop, Optional::empty);
    }

    /**
     * Blocks until the JVM is asked to stop, or until {@code fatal} reports why the service cannot go on.
     * In the second case {@code onStop} runs at once and the reason is returned, so that the command
     * exits non-zero and a supervisor (systemd, a container restart policy) starts it again: a process
     * that stays up without working is the one failure no supervisor notices.
     *
     * @param fatal looked at every second; empty while the service works
     * @return the reason the service stopped by itself; empty after SIGTERM/SIGINT
     */
    static Optional<String> runUntilStopped(Runnable onStop, Supplier<Optional<String>> fatal) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                onStop.run();
            }
        };
        Thread hook = new Thread(() -> {
            // What onStop closes is about to look dead: that is no failure to report.
            stopping.set(true);
            try {
                closeOnce.run();
            } finally {
                stopped.countDown();
            }
        }, "roster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!stopped.await(CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
            Optional<String> reason = stopping.get() ? Optional.empty() : fatal.get();
            if (reason.isPresent()) {
                closeOnce.run();
                return reason;
            }
        }
        return Optional.empty();
    }
}
