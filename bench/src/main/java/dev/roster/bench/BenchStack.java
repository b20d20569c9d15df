package dev.roster.bench;

import dev.roster.cli.LocalStack;
import dev.roster.config.HaproxyProcess;

import java.nio.file.Files;
import java.nio.file.Path;

/** The embedded stack with a real HAProxy on free ports, in a fresh temporary folder. */
final class BenchStack {
    private BenchStack() {
    }

    static LocalStack start() throws Exception {
        if (!HaproxyProcess.isInstalled("haproxy")) {
            throw new IllegalStateException("haproxy is not on the PATH (apt-get install haproxy)");
        }
        // Pools are chosen with the Host header, which HttpURLConnection only sends when allowed to.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
        Path dir = Files.createTempDirectory("roster-bench");
        LocalStack stack = LocalStack.start(new LocalStack.Settings(dir, "web", "127.0.0.1", 0, 0, 0, true));
        if (!stack.haproxyRunning()) {
            stack.close();
            throw new IllegalStateException("HAProxy did not start");
        }
        return stack;
    }

    static void awaitTrue(String what, long timeoutMs, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not happen within " + timeoutMs + " ms");
            }
            Thread.sleep(2);
        }
    }
}
