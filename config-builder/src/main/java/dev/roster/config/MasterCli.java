package dev.roster.config;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of HAProxy's master CLI ({@code haproxy -W -S <socket>}), over a UNIX domain socket. Each
 * command opens its own connection, as the master CLI answers one command and closes. Thread-safe.
 */
public final class MasterCli {
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Pattern FAILED_RELOADS = Pattern.compile("\\[failed: (\\d+)]");

    private final Path socket;
    private final Duration ioTimeout;

    /**
     * @param socket    the master CLI socket
     * @param ioTimeout how long one command may take to answer
     */
    public MasterCli(Path socket, Duration ioTimeout) {
        this.socket = socket;
        this.ioTimeout = ioTimeout;
    }

    public MasterCli(Path socket) {
        this(socket, Duration.ofSeconds(2));
    }

    public Path socket() {
        return socket;
    }

    /**
     * The processes HAProxy's master reports.
     *
     * @param master        the master's PID
     * @param reloads       how many reloads the master has done
     * @param failedReloads how many of them failed, or -1 if this HAProxy does not say
     * @param workers       current workers' PIDs (the ones that serve new connections)
     * @param oldWorkers    workers of earlier configs still finishing their connections
     */
    public record Procs(long master, int reloads, int failedReloads, List<Long> workers, List<Long> oldWorkers) {
        public Procs {
            workers = List.copyOf(workers);
            oldWorkers = List.copyOf(oldWorkers);
        }
    }

    /**
     * What a reload came to.
     *
     * @param succeeded  whether a new worker appeared in {@code show proc}
     * @param message    what happened, for logs and {@link VersionRecord#reason()}
     * @param newWorkers PIDs of the workers that appeared (empty on failure)
     * @param took       from sending {@code reload} to seeing the new worker (or giving up)
     */
    public record ReloadResult(boolean succeeded, String message, List<Long> newWorkers, Duration took) {
        public ReloadResult {
            newWorkers = List.copyOf(newWorkers);
        }
    }

    /** Sends one command (a newline is added) and returns the whole answer. */
    public String command(String command) throws IOException {
        try {
            return UnixSocketClient.exchange(socket, command, ioTimeout);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("HAProxy socket ")) {
                throw new IOException("master CLI at " + socket + " did not answer '" + command + "' within "
                        + ioTimeout.toMillis() + " ms");
            }
            throw e;
        }
    }

    /** The raw answer to {@code show proc}. */
    public String showProc() throws IOException {
        return command("show proc");
    }

    /** {@code show proc}, parsed. */
    public Procs procs() throws IOException {
        return parseProcs(showProc());
    }

    /** Whether the master answers {@code show proc} with at least one worker. */
    public boolean isAnswering() {
        try {
            return !procs().workers().isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Asks the master to reload (it re-reads its config files and starts new workers), then polls
     * {@code show proc} until a worker appears that was not there before, for at most {@code timeout}.
     * Never throws: every failure is a {@link ReloadResult} that says why.
     */
    public ReloadResult reload(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Procs before;
        try {
            before = procs();
        } catch (IOException | RuntimeException e) {
            return new ReloadResult(false, "master CLI at " + socket + " does not answer: " + e.getMessage(),
                    List.of(), since(start));
        }
        String answer;
        try {
            answer = command("reload");
        } catch (IOException e) {
            // The master re-executes itself on reload and may drop the connection before answering.
            answer = "";
        }
        // HAProxy 2.6 answers nothing; later versions say "Success=0" when the new config fails.
        if (answer.contains("Success=0")) {
            return new ReloadResult(false, "reload failed: " + answer.trim(), List.of(), since(start));
        }
        String lastProcs = "";
        String lastError = "";
        while (System.nanoTime() < deadline) {
            if (Thread.currentThread().isInterrupted()) {
                return new ReloadResult(false, "interrupted while waiting for the reload", List.of(), since(start));
            }
            try {
                lastProcs = showProc();
                Procs now = parseProcs(lastProcs);
                List<Long> fresh = new ArrayList<>(now.workers());
                fresh.removeAll(before.workers());
                if (!fresh.isEmpty()) {
                    return new ReloadResult(true, "reloaded: new worker " + fresh, fresh, since(start));
                }
                if (before.failedReloads() >= 0 && now.failedReloads() > before.failedReloads()) {
                    return new ReloadResult(false, "reload failed: HAProxy's master counts "
                            + now.failedReloads() + " failed reloads, was " + before.failedReloads(), List.of(), since(start));
                }
            } catch (IOException | RuntimeException e) {
                // Expected for a moment while the master re-executes: its socket is being re-created.
                lastError = e.getMessage();
            }
            sleep(POLL_INTERVAL);
        }
        return new ReloadResult(false, "reload not confirmed: no new worker in show proc within " + timeout.toMillis()
                + " ms" + (lastProcs.isEmpty() ? "; last error: " + lastError : "; last show proc:\n" + lastProcs.trim()),
                List.of(), since(start));
    }

    /** Parses the answer to {@code show proc} (HAProxy 2.x layout: a master line, then "# workers", "# old workers" …). */
    static Procs parseProcs(String text) {
        long master = -1;
        int reloads = 0;
        int failed = -1;
        List<Long> workers = new ArrayList<>();
        List<Long> oldWorkers = new ArrayList<>();
        String section = "";
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                section = trimmed.startsWith("#<") ? "" : trimmed.substring(1).trim();
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            if (fields.length < 3 || !fields[0].chars().allMatch(Character::isDigit)) {
                continue;
            }
            long pid = Long.parseLong(fields[0]);
            if (fields[1].equals("master")) {
                master = pid;
                reloads = parseInt(fields[2]);
                Matcher m = FAILED_RELOADS.matcher(trimmed);
                if (m.find()) {
                    failed = Integer.parseInt(m.group(1));
                }
            } else if (fields[1].equals("worker")) {
                (section.equals("old workers") ? oldWorkers : workers).add(pid);
            }
        }
        if (master < 0) {
            throw new IllegalArgumentException("not an answer to show proc: " + text.strip());
        }
        return new Procs(master, reloads, failed, workers, oldWorkers);
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
