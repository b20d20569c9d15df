package dev.roster.config;

import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a new config text can go live through HAProxy's runtime API alone, when it can: servers added
 * ({@code add server}), servers deleted ({@code del server}), and the drain state, weight, address and
 * port of the others ({@code set server …}, see {@link ServerStates#commandsFor}).
 *
 * <p>It can when the two texts differ in nothing else. {@link #between} checks that on the texts
 * themselves, whatever the template: outside comments and the server lines of members, the lines must be
 * the same; a member in both must have the same server line but for its address, port and weight; every
 * member must have a server line of its own in its pool's backend ({@code server <member> …}); added
 * members and moved ones must sit at an IP address ({@code add server} resolves no host names, and
 * {@code set server … addr} takes none). The line of an added member is sent as it is written, so the
 * running server gets the very settings (checks, id, weight) the file gives it and a later reload keeps
 * them.
 *
 * @param removals  the servers to delete, as {@code backend/server}
 * @param additions the servers to add
 */
record RuntimePlan(List<String> removals, List<Addition> additions) {
    /**
     * A server to add.
     *
     * @param server    {@code backend/server}
     * @param arguments what follows the name on its line in the new text: address, port and settings
     */
    record Addition(String server, String arguments) {
        boolean checked() {
            return List.of(arguments.split("\\s+")).contains("check");
        }
    }

    RuntimePlan {
        removals = List.copyOf(removals);
        additions = List.copyOf(additions);
    }

    /**
     * The commands that delete and add servers, in order: a server is put in maintenance before it is
     * deleted (HAProxy requires it, and it takes no new request from then on), and an added server gets its
     * health checks, then leaves maintenance (where HAProxy creates it).
     */
    List<String> membershipCommands() {
        List<String> commands = new ArrayList<>();
        for (String server : removals) {
            commands.add("set server " + server + " state maint");
            commands.add("del server " + server);
        }
        for (Addition addition : additions) {
            commands.add("add server " + addition.server() + " " + addition.arguments());
            if (addition.checked()) {
                commands.add("enable health " + addition.server());
            }
            commands.add("enable server " + addition.server());
        }
        return commands;
    }

    /**
     * @return the plan that takes HAProxy from {@code liveText} (rendered from {@code live}) to {@code text}
     *         (rendered from {@code next}), or empty when a reload is needed
     */
    static Optional<RuntimePlan> between(ConfigModel live, String liveText, ConfigModel next, String text) {
        if (!next.parameters().equals(live.parameters()) || !poolNames(next).equals(poolNames(live))) {
            return Optional.empty();
        }
        Map<String, Member> liveMembers = members(live);
        Map<String, Member> nextMembers = members(next);
        ServerLines before = ServerLines.of(liveText, liveMembers.keySet());
        ServerLines after = ServerLines.of(text, nextMembers.keySet());
        if (!before.others().equals(after.others())
                || before.lines().size() != liveMembers.size() || after.lines().size() != nextMembers.size()) {
            return Optional.empty();
        }
        List<String> removals = new ArrayList<>();
        List<Addition> additions = new ArrayList<>();
        for (Map.Entry<String, Member> entry : nextMembers.entrySet()) {
            String server = entry.getKey();
            Member member = entry.getValue();
            Member was = liveMembers.get(server);
            String[] line = after.lines().get(server);
            if (was == null) {
                if (!ServerStates.isIpLiteral(member.address())) {
                    return Optional.empty();
                }
                additions.add(new Addition(server, String.join(" ", List.of(line).subList(2, line.length))));
            } else if (!sameButRuntime(before.lines().get(server), line)
                    || (!member.address().equals(was.address()) && !ServerStates.isIpLiteral(member.address()))) {
                return Optional.empty();
            }
        }
        for (String server : liveMembers.keySet()) {
            if (!nextMembers.containsKey(server)) {
                removals.add(server);
            }
        }
        removals.sort(null);
        additions.sort((a, b) -> a.server().compareTo(b.server()));
        return Optional.of(new RuntimePlan(removals, additions));
    }

    /** Whether two server lines differ at most in the address and port (third word) and the weight's value. */
    private static boolean sameButRuntime(String[] one, String[] two) {
        if (one.length != two.length) {
            return false;
        }
        for (int i = 0; i < one.length; i++) {
            boolean runtime = i == 2 || (i > 0 && one[i - 1].equals("weight") && two[i - 1].equals("weight"));
            if (!runtime && !one[i].equals(two[i])) {
                return false;
            }
        }
        return true;
    }

    private static List<String> poolNames(ConfigModel model) {
        return model.pools().stream().map(PoolSnapshot::pool).toList();
    }

    /** Every member of {@code model}, keyed {@code pool/member} as HAProxy names its server. */
    static Map<String, Member> members(ConfigModel model) {
        Map<String, Member> members = new HashMap<>();
        for (PoolSnapshot pool : model.pools()) {
            pool.members().forEach(m -> members.put(pool.pool() + "/" + m.name(), m));
        }
        return members;
    }

    /**
     * A config text split into the server lines of members and everything else but comments and blank
     * lines.
     *
     * @param lines  the words of each member's server line, keyed {@code backend/server}
     * @param others the other lines, trimmed, in order
     */
    private record ServerLines(Map<String, String[]> lines, List<String> others) {
        static ServerLines of(String text, Set<String> members) {
            Map<String, String[]> lines = new HashMap<>();
            List<String> others = new ArrayList<>();
            Set<String> twice = new HashSet<>();
            String backend = null;
            for (String raw : text.split("\n")) {
                String line = raw.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] words = line.split("\\s+");
                if (!raw.startsWith(" ") && !raw.startsWith("\t")) {
                    // A section starts: only servers of a "backend <pool>" section are members.
                    backend = words[0].equals("backend") && words.length == 2 ? words[1] : null;
                }
                String server = backend != null && words[0].equals("server") && words.length >= 3
                        ? backend + "/" + words[1] : null;
                if (server != null && members.contains(server)) {
                    if (lines.put(server, words) != null) {
                        twice.add(server);
                    }
                } else {
                    others.add(line);
                }
            }
            // A member with two lines cannot be told apart at runtime: keep it out so the plan fails.
            twice.forEach(lines::remove);
            return new ServerLines(lines, others);
        }
    }
}
