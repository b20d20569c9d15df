package dev.roster.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy in master-worker mode as a child process: {@code haproxy -W -S <masterSocket> -f <configFile>},
 * in the foreground, its output appended to a log file. {@link #close()} stops it (SIGTERM, then SIGKILL).
 * Used by {@code roster up} and by end-to-end tests; in production HAProxy is usually run by its own
 * supervisor with the same flags.
 */
public final class HaproxyProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyProcess.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** sun_path holds 108 bytes on Linux, including the terminating zero. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Process process;
    private final MasterCli masterCli;
    private final Path configFile;
    private final Path logFile;

    private HaproxyProcess(Process process, MasterCli masterCli, Path configFile, Path logFile) {
        this.process = process;
        this.masterCli = masterCli;
        this.configFile = configFile;
        this.logFile = logFile;
    }

    /**
     * Starts HAProxy and waits until its master CLI answers with a worker.
     *
     * @param binary       the HAProxy executable
     * @param configFile   the config HAProxy reads, now and on every reload (the live file)
     * @param masterSocket where HAProxy opens its master CLI (at most 107 bytes of path)
     * @param logFile      HAProxy's stdout and stderr are appended here
     * @param startTimeout how long to wait for the first worker
     * @throws IOException if HAProxy cannot be run, exits, or has no worker within {@code startTimeout};
     *                     the message carries the end of its log
     */
    public static HaproxyProcess start(String binary, Path configFile, Path masterSocket, Path logFile,
                                      Duration startTimeout) throws IOException {
        Path socket = masterSocket.toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("masterSocket path must be at most " + MAX_SOCKET_PATH
                    + " bytes (a UNIX socket limit), was " + socket.toString().length() + ": " + socket);
        }
        if (!Files.isRegularFile(configFile)) {
            throw new IllegalArgumentException("configFile " + configFile + " does not exist");
        }
        Files.createDirectories(socket.getParent());
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> command = List.of(binary, "-W", "-S", socket.toString(), "-f", configFile.toAbsolutePath().toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, new MasterCli(socket), configFile, logFile);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("haproxy exited with code " + process.exitValue() + " at start: "
                            + haproxy.logTail());
                }
                if (haproxy.masterCli.isAnswering()) {
                    LOG.info("HAProxy started: pid {}, config {}, master socket {}", process.pid(), configFile, socket);
                    return haproxy;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("haproxy had no worker within " + startTimeout.toMillis() + " ms: "
                            + haproxy.logTail());
                }
                Thread.sleep(50);
            }
        } catch (IOException | RuntimeException e) {
            haproxy.close();
            throw e;
        } catch (InterruptedException e) {
            haproxy.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for haproxy to start", e);
        }
    }

    /**
     * Starts HAProxy for a builder's settings: {@code settings.liveFile()} as config, its master socket
     * (required), output to {@code workDir/haproxy.log}, 10 s to start.
     */
    public static HaproxyProcess start(ConfigBuilderSettings settings) throws IOException {
        Path socket = settings.masterSocket().orElseThrow(() ->
                new IllegalArgumentException("masterSocket must be set to run HAProxy in master-worker mode"));
        return start(settings.haproxyBinary(), settings.liveFile(), socket, settings.workDir().resolve("haproxy.log"),
                Duration.ofSeconds(10));
    }

    /** Whether {@code binary -v} runs and exits 0 within 5 s. */
    public static boolean isInstalled(String binary) {
        return Commands.succeeds(Duration.ofSeconds(5), binary, "-v");
    }

    public MasterCli masterCli() {
        return masterCli;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path configFile() {
        return configFile;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of HAProxy's log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to the master (which stops its workers), up to 5 s, then SIGKILL to it and anything it left. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("HAProxy (pid {}) did not stop within {} ms of SIGTERM; killing it", process.pid(),
                        STOP_GRACE.toMillis());
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // Workers normally leave with the master; these are our own children, so make sure.
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        LOG.info("HAProxy (pid {}) stopped", process.pid());
    }
}
