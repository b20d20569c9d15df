package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.Fields;
import dev.roster.core.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roster history …}: questions to the history API, answered as aligned tables, or as the API's
 * JSON with {@code --json}.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Ask the history API: who was a member when, the log, config versions and their diffs.",
        subcommands = {HistoryCommand.Pools.class, HistoryCommand.Members.class, HistoryCommand.Member.class,
                HistoryCommand.Events.class, HistoryCommand.Configs.class, HistoryCommand.Config.class,
                HistoryCommand.Diff.class, HistoryCommand.DeadLetters.class})
final class HistoryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** How to reach the API and how to print; shared by every history subcommand. */
    static final class ApiOptions {
        @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:ROSTER_API:-http://127.0.0.1:8070}",
                description = "The history API (env ROSTER_API; default ${DEFAULT-VALUE}).")
        String api;

        @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:ROSTER_API_TOKEN}",
                description = "Bearer token, when the API has one (env ROSTER_API_TOKEN, which keeps it out of ps).")
        String token;

        @Option(names = "--json", description = "Print the API's JSON instead of a table, for scripts.")
        boolean json;

        ApiClient client() {
            return new ApiClient(api, token);
        }
    }

    /** Common plumbing of the subcommands. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        ApiOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Clock clock = Clock.systemUTC();

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        void printJson(JsonNode node) {
            out().println(node.toString());
            out().flush();
        }

        /** With --json the API's JSON; otherwise the text in {@code field}, as it is. */
        void printJsonOrText(JsonNode body, String field) {
            if (options.json) {
                printJson(body);
                return;
            }
            out().print(body.path(field).asText());
            out().flush();
        }

        static String name(String field, String value) {
            return value == null ? null : Fields.name(field, value);
        }

        @Override
        public Integer call() throws Exception {
            ApiClient client = options.client();
            run(client);
            return 0;
        }

        abstract void run(ApiClient client) throws Exception;
    }

    @Command(name = "pools", mixinStandardHelpOptions = true, description = "Every pool with its version and member count.")
    static final class Pools extends Base {
        @Override
        void run(ApiClient client) throws Exception {
            JsonNode pools = client.get("/api/pools");
            if (options.json) {
                printJson(pools);
                return;
            }
            Table table = new Table("POOL", "VERSION", "MEMBERS");
            pools.forEach(p -> table.row(p.path("pool").asText(), p.path("version").asLong(), p.path("members").asInt()));
            table.print(out());
        }
    }

    // No standard help options here: --version is the pool version, as the other history commands would expect.
    @Command(name = "members", description = "A pool's members: now, at an instant (--at) or at a version (--version).")
    static final class Members extends Base {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--pool", required = true, description = "The pool.")
        String pool;

        @Option(names = "--at", paramLabel = "TIME",
                description = "The set as it was then: 2026-11-27T10:00:00Z, or a time ago such as 90s, 15m, 1h, 2d.")
        String at;

        @Option(names = "--version", paramLabel = "N", description = "The set at this pool version (0 = empty).")
        Long version;

        @Override
        void run(ApiClient client) throws Exception {
            name("pool", pool);
            if (at != null && version != null) {
                throw new IllegalArgumentException("give --at or --version, not both");
            }
            if (version != null && version < 0) {
                throw new IllegalArgumentException("version must be 0 or more, was " + version);
            }
            Instant instant = TimeArgs.instant("at", at, clock);
            JsonNode body = client.get(ApiClient.path("/api/pools/" + pool + "/members",
                    ApiClient.query("at", instant, "version", version)));
            if (options.json) {
                printJson(body);
                return;
            }
            out().println("pool " + body.path("pool").asText() + ", version " + body.path("version").asLong()
                    + (body.path("since").isNull() ? "" : " since " + body.path("since").asText())
                    + (body.has("at") ? " (as of " + body.path("at").asText() + ")" : ""));
            Table table = new Table("NAME", "ADDRESS", "PORT", "WEIGHT", "STATE", "TAGS");
            body.path("members").forEach(m -> table.row(m.path("name").asText(), m.path("address").asText(),
                    m.path("port").asInt(), m.path("weight").asInt(), m.path("state").asText(), tags(m.path("tags"))));
            table.print(out());
        }
    }

    @Command(name = "member", mixinStandardHelpOptions = true, description = "Every event of one member, in log order.")
    static final class Member extends Base {
        @Parameters(paramLabel = "POOL/MEMBER", description = "Such as web/s1.")
        String poolAndMember;

        @Override
        void run(ApiClient client) throws Exception {
            String[] parts = poolAndMember.split("/", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("member must be POOL/MEMBER such as web/s1, was \"" + poolAndMember + "\"");
            }
            String pool = name("pool", parts[0]);
            String member = name("member", parts[1]);
            List<JsonNode> events = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = client.get(ApiClient.path("/api/pools/" + pool + "/members/" + member + "/history",
                        ApiClient.query("cursor", cursor)));
                page.path("events").forEach(events::add);
                cursor = next(page);
            } while (cursor != null);
            if (options.json) {
                ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool).put("member", member);
                body.putArray("events").addAll(events);
                printJson(body);
                return;
            }
            eventTable(events, false).print(out());
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "A pool's log, oldest first.")
    static final class Events extends Base {
        @Option(names = "--pool", required = true, description = "The pool.")
        String pool;

        @Option(names = "--since", paramLabel = "TIME",
                description = "Only events from then on: 2026-11-27T10:00:00Z, or a time ago such as 15m, 1h, 2d.")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Only events up to then; same forms as --since.")
        String until;

        @Option(names = "--type", description = "Only events of this type, such as member-failed.")
        String type;

        @Option(names = "--limit", defaultValue = "1000", description = "Most events to print (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(ApiClient client) throws Exception {
            name("pool", pool);
            positive("limit", limit);
            Instant from = TimeArgs.instant("since", since, clock);
            Instant to = TimeArgs.instant("until", until, clock);
            List<JsonNode> events = new ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = client.get(ApiClient.path("/api/pools/" + pool + "/events", ApiClient.query("from", from,
                        "to", to, "type", type, "limit", Math.min(1000, limit - events.size()), "cursor", cursor)));
                for (Iterator<JsonNode> it = page.path("events").elements(); it.hasNext() && events.size() < limit; ) {
                    events.add(it.next());
                }
                cursor = next(page);
            } while (cursor != null && events.size() < limit);
            if (options.json) {
                ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool);
                body.putArray("events").addAll(events);
                printJson(body);
                return;
            }
            eventTable(events, true).print(out());
        }
    }

    @Command(name = "configs", mixinStandardHelpOptions = true, description = "Every config version of an HAProxy instance.")
    static final class Configs extends Base {
        @Option(names = "--instance", description = "HAProxy instance id; default: the first one (usually the only one).")
        String instance;

        @Override
        void run(ApiClient client) throws Exception {
            name("instance", instance);
            ArrayNode versions = Json.MAPPER.createArrayNode();
            JsonNode first = null;
            String cursor = null;
            do {
                JsonNode page = client.get(ApiClient.path("/api/configs",
                        ApiClient.query("instance", instance, "limit", 1000, "cursor", cursor)));
                first = first == null ? page : first;
                versions.addAll((ArrayNode) page.path("versions"));
                cursor = next(page);
            } while (cursor != null);
            if (options.json) {
                ObjectNode body = ((ObjectNode) first).deepCopy();
                body.set("versions", versions);
                body.putNull("next");
                printJson(body);
                return;
            }
            if (first.path("instance").isNull()) {
                out().println("no config versions recorded yet");
                out().flush();
                return;
            }
            out().println("instance " + first.path("instance").asText());
            Table table = new Table("VERSION", "STATUS", "AT", "SHA256", "POOLS", "REASON");
            for (JsonNode v : versions) {
                List<String> pools = new ArrayList<>();
                v.path("poolVersions").properties().forEach(e -> pools.add(e.getKey() + "@" + e.getValue().asLong()));
                table.row(v.path("version").asLong(), v.path("status").asText(), v.path("at").asText(),
                        v.path("sha256").asText().substring(0, Math.min(12, v.path("sha256").asText().length())),
                        String.join(",", pools), shorten(v.path("reason").asText(), 80));
            }
            table.print(out());
        }
    }

    @Command(name = "config", mixinStandardHelpOptions = true, description = "One config version's text (or, with --json, its manifest too).")
    static final class Config extends Base {
        @Parameters(paramLabel = "VERSION", description = "The version number.")
        long version;

        @Option(names = "--instance", description = "HAProxy instance id; default: the first one.")
        String instance;

        @Override
        void run(ApiClient client) throws Exception {
            positive("version", version);
            name("instance", instance);
            printJsonOrText(client.get(ApiClient.path("/api/configs/" + version, ApiClient.query("instance", instance))),
                    "config");
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "Unified diff between two config versions.")
    static final class Diff extends Base {
        @Parameters(index = "0", paramLabel = "FROM", description = "The older version.")
        long from;

        @Parameters(index = "1", paramLabel = "TO", description = "The newer version.")
        long to;

        @Option(names = "--instance", description = "HAProxy instance id; default: the first one.")
        String instance;

        @Override
        void run(ApiClient client) throws Exception {
            positive("from", from);
            positive("to", to);
            name("instance", instance);
            printJsonOrText(client.get(ApiClient.path("/api/configs/" + from + "/diff/" + to,
                    ApiClient.query("instance", instance))), "diff");
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "What was refused and why, oldest first.")
    static final class DeadLetters extends Base {
        @Option(names = "--since", paramLabel = "TIME", description = "Only from then on: an ISO-8601 instant or a time ago (1h).")
        String since;

        @Option(names = "--limit", defaultValue = "100", description = "Most to print (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        void run(ApiClient client) throws Exception {
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be 1-1000, was " + limit);
            }
            JsonNode body = client.get(ApiClient.path("/api/dead-letters",
                    ApiClient.query("from", TimeArgs.instant("since", since, clock), "limit", limit)));
            if (options.json) {
                printJson(body);
                return;
            }
            Table table = new Table("AT", "TOPIC", "PARTITION", "OFFSET", "KEY", "REASON");
            body.path("deadLetters").forEach(d -> table.row(d.path("at").asText(), d.path("topic").asText(),
                    d.path("partition").asInt(), d.path("offset").asLong(), d.path("key").isNull() ? null : d.path("key").asText(),
                    shorten(d.path("reason").asText(), 100)));
            table.print(out());
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be 1 or more, was " + value);
        }
    }

    /** The cursor of the page after {@code page}, or null after the last one. */
    private static String next(JsonNode page) {
        return page.path("next").isNull() ? null : page.path("next").asText();
    }

    private static Table eventTable(List<JsonNode> events, boolean withMember) {
        Table table = withMember ? new Table("AT", "MEMBER", "TYPE", "INCARNATION", "APPLIED", "VERSION", "SOURCE", "DETAIL")
                : new Table("AT", "TYPE", "INCARNATION", "APPLIED", "VERSION", "SOURCE", "DETAIL");
        for (JsonNode e : events) {
            List<Object> cells = new ArrayList<>(List.of(e.path("at").asText()));
            if (withMember) {
                cells.add(e.path("member").asText());
            }
            cells.addAll(List.of(e.path("type").asText(), e.path("incarnation").asLong(),
                    e.path("applied").asBoolean() ? "yes" : "no", e.path("poolVersion").asLong(), e.path("source").asText(),
                    detail(e)));
            table.row(cells.toArray());
        }
        return table;
    }

    /** What an event says beyond who and when: where a member is served, or why it failed. */
    private static String detail(JsonNode event) {
        List<String> parts = new ArrayList<>();
        if (event.has("address") || event.has("port")) {
            parts.add(event.path("address").asText("") + (event.has("port") ? ":" + event.path("port").asInt() : ""));
        }
        if (event.has("weight")) {
            parts.add("weight " + event.path("weight").asInt());
        }
        if (event.has("tags") && event.path("tags").size() > 0) {
            parts.add("tags " + tags(event.path("tags")));
        }
        if (event.has("reason")) {
            parts.add(event.path("reason").asText());
        }
        return parts.isEmpty() ? "" : String.join(" ", parts);
    }

    private static String tags(JsonNode tags) {
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tags.properties()) {
            pairs.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", pairs);
    }

    private static String shorten(String text, int max) {
        String line = text.replaceAll("[\\r\\n]+", " ");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
