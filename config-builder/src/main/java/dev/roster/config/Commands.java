package dev.roster.config;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Probes for external tools: does a short command run here? */
public final class Commands {
    private Commands() {
    }

    /**
     * Whether {@code command} starts and exits 0 within {@code timeout}; its output is discarded. A command
     * still running then is killed, and counts as failed.
     */
    public static boolean succeeds(Duration timeout, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
