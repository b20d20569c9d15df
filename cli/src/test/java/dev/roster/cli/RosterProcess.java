package dev.roster.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code roster} command in a JVM of its own, as an operator runs it, its output (stdout and stderr)
 * in a file. Kafka's client loggers are at INFO, so every client's configuration is printed, as Kafka
 * prints it at start: what an operator would see with verbose logging.
 */
final class RosterProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private RosterProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static RosterProcess start(Path log, String heap, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-cp", System.getProperty("java.class.path"), Roster.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new RosterProcess(process, log);
    }

    /** Waits for the command to end by itself; returns its exit code, or -1 if it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    Path log() {
        return log;
    }

    /** SIGTERM, as a supervisor stops a service, and waits up to 30 s for it to end; then SIGKILL. */
    void stop() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
