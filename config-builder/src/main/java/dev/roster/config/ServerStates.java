package dev.roster.config;

import dev.roster.core.Member;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * HAProxy's server state as {@code show servers state} prints it (the server-state file, format 1): a
 * version line, a header naming the columns, then one line per server. Only the columns Roster needs
 * are read, found by name in the header, so that extra columns of later versions do no harm.
 */
final class ServerStates {
    /** {@code SRV_ADMF_FDRAIN}: drained through the runtime API ({@code set server … state drain}). */
    static final int ADMIN_FORCED_DRAIN = 0x08;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private ServerStates() {
    }

    /**
     * One server's runtime state.
     *
     * @param address     its current address, as HAProxy prints it (an IP, or "-" when unresolved)
     * @param adminState  HAProxy's admin-state bit field ({@link #ADMIN_FORCED_DRAIN} …)
     * @param userWeight  its current weight ({@code srv_uweight})
     */
    record Server(String backend, String server, String address, int port, int adminState, int userWeight) {
        boolean drained() {
            return (adminState & ADMIN_FORCED_DRAIN) != 0;
        }
    }

    /** Every server line of a dump; an empty or unknown dump gives no servers. */
    static List<Server> parse(String dump) {
        List<Server> servers = new ArrayList<>();
        Map<String, Integer> columns = null;
        for (String line : dump.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                columns = columns(trimmed.substring(1).trim());
                continue;
            }
            if (columns == null || trimmed.isEmpty()) {
                continue;
            }
            Server server = server(trimmed.split("\\s+"), columns);
            if (server != null) {
                servers.add(server);
            }
        }
        return servers;
    }

    /** The dump without the server lines {@code keep} refuses; the version and header lines stay. */
    static String filter(String dump, Predicate<Server> keep) {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> columns = null;
        for (String line : dump.split("\n", -1)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                columns = columns(trimmed.substring(1).trim());
            } else if (columns != null && !trimmed.isEmpty()) {
                Server server = server(trimmed.split("\\s+"), columns);
                if (server != null && !keep.test(server)) {
                    continue;
                }
            }
            out.append(line).append('\n');
        }
        // split(-1) yields a last empty piece after the final newline: do not double it.
        return out.substring(0, Math.max(0, out.length() - 1));
    }

    /**
     * The runtime commands that bring a running server in line with how the config renders its member:
     * address and port, weight (0 while draining), and the drain state. Draining comes first and ending
     * a drain last, so that a server never takes traffic at its old address or weight.
     *
     * @return the commands, none when the server already matches
     */
    static List<String> commandsFor(String backend, Server running, Member wanted) {
        String target = backend + "/" + wanted.name();
        int weight = wanted.draining() ? 0 : wanted.weight();
        List<String> commands = new ArrayList<>();
        if (wanted.draining() && !running.drained()) {
            commands.add("set server " + target + " state drain");
        }
        boolean ipLiteral = isIpLiteral(wanted.address());
        if (running.port() != wanted.port() || (ipLiteral && !running.address().equals(wanted.address()))) {
            if (ipLiteral) {
                commands.add("set server " + target + " addr " + wanted.address() + " port " + wanted.port());
            }
        }
        if (running.userWeight() != weight) {
            commands.add("set server " + target + " weight " + weight);
        }
        if (!wanted.draining() && running.drained()) {
            commands.add("set server " + target + " state ready");
        }
        return commands;
    }

    /** Whether the runtime API can set this address ({@code set server … addr} takes IP literals only). */
    static boolean isIpLiteral(String address) {
        return IPV4.matcher(address).matches() || address.contains(":");
    }

    private static Map<String, Integer> columns(String header) {
        Map<String, Integer> columns = new HashMap<>();
        String[] names = header.split("\\s+");
        for (int i = 0; i < names.length; i++) {
            columns.put(names[i], i);
        }
        return columns.containsKey("be_name") && columns.containsKey("srv_name") ? columns : null;
    }

    private static Server server(String[] fields, Map<String, Integer> columns) {
        try {
            return new Server(field(fields, columns, "be_name"), field(fields, columns, "srv_name"),
                    field(fields, columns, "srv_addr"), Integer.parseInt(field(fields, columns, "srv_port")),
                    Integer.parseInt(field(fields, columns, "srv_admin_state")),
                    Integer.parseInt(field(fields, columns, "srv_uweight")));
        } catch (RuntimeException e) {
            // A line this reader does not understand is left alone rather than guessed at.
            return null;
        }
    }

    private static String field(String[] fields, Map<String, Integer> columns, String name) {
        Integer index = columns.get(name);
        if (index == null || index >= fields.length) {
            throw new IllegalArgumentException("no column " + name);
        }
        return fields[index];
    }
}
