package dev.roster.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until SIGTERM or SIGINT, then closes what it started. */
final class Services {
    private Services() {
    }

    /** Blocks until the JVM is asked to stop; {@code onStop} runs in the shutdown hook, before exit. */
    static void runUntilStopped(Runnable onStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, "roster-shutdown"));
        stopped.await();
    }
}
