package dev.roster.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A client of HAProxy's runtime API on the stats socket the template declares
 * ({@code stats socket <path> mode 600 level admin}): the current worker answers. Used to add and delete
 * servers and apply drains, weights and addresses without a reload, and to read {@code show servers state}
 * before each reload.
 * Thread-safe: every command opens its own connection.
 */
public final class RuntimeApi {
    private final Path socket;
    private final Duration timeout;

    /**
     * @param socket  the stats socket
     * @param timeout how long one command may take to answer
     */
    public RuntimeApi(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    public Path socket() {
        return socket;
    }

    /** Whether the socket file exists (HAProxy runs with a config that declares it). */
    public boolean present() {
        return Files.exists(socket);
    }

    /** Sends one command and returns HAProxy's answer, trimmed. */
    public String command(String command) throws IOException {
        return UnixSocketClient.exchange(socket, command, timeout).trim();
    }

    /** The raw answer to {@code show servers state}: the server-state file format, version 1. */
    public String showServersState() throws IOException {
        return UnixSocketClient.exchange(socket, "show servers state", timeout);
    }

    /**
     * Sends {@code commands} one by one, stopping at the first that HAProxy refuses.
     *
     * @return empty when every command was accepted, otherwise which one failed and HAProxy's answer
     */
    public Optional<String> apply(List<String> commands) {
        for (String command : commands) {
            String answer;
            try {
                answer = command(command);
            } catch (IOException e) {
                return Optional.of("'" + command + "' failed: " + e.getMessage());
            }
            if (!accepted(answer)) {
                return Optional.of("'" + command + "' refused: " + answer.replaceAll("\\s+", " "));
            }
        }
        return Optional.empty();
    }

    /**
     * HAProxy answers {@code set server … weight|state}, {@code enable server|health} with nothing when it
     * agrees, {@code set server … addr} with a sentence saying what changed ("IP changed from …", "no need
     * to change the addr …"), {@code add server} with "New server registered." and {@code del server} with
     * "Server deleted."; anything else ("No such server.", "Invalid addr …", "'id' : custom id 1 already
     * used …") is a refusal.
     */
    static boolean accepted(String answer) {
        return answer.isEmpty() || answer.contains("changed from") || answer.startsWith("no need to change")
                || answer.equals("New server registered.") || answer.equals("Server deleted.");
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
