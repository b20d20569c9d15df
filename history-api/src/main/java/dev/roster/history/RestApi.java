package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.ConfigVersion;
import dev.roster.core.Json;
import dev.roster.core.PoolHead;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The REST API and the timeline page. Errors are mapped to HTTP here and nowhere else, always as a
 * JSON body {"error", "detail"}: 400 for a bad parameter (named in {@code error}), 401 without the
 * bearer token when one is set, 404 for an unknown pool, member, instance or version, 503 while the
 * stores are not ready or another instance does not answer.
 */
public final class RestApi {
    /** Most events, configs or dead letters one page returns. */
    static final int MAX_LIMIT = 1000;
    /** Most events of one member one page returns. */
    static final int MAX_HISTORY_LIMIT = 10_000;
    /** Most changes a timeline reads; a longer window is cut short and says so ({@code truncated}). */
    static final int TIMELINE_MAX_CHANGES = 10_000;
    /** Served without the token: the health check, and the page's static files, which hold no data. */
    static final Set<String> OPEN_PATHS = Set.of("/health", "/", "/timeline.js", "/timeline.css");
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final String ROUTE = "roster.route";
    private static final String STARTED = "roster.started";
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    /**
     * What the API needs.
     *
     * @param state null while Kafka Streams has not been created yet
     * @param token empty: no token needed
     */
    public record Deps(StoreSource stores, Router router, Supplier<KafkaStreams.State> state, ApiMetrics metrics,
                       Optional<String> token, Clock clock) {
    }

    private final Deps deps;
    private final HistoryQueries pools;
    private final ConfigQueries configs;
    private final DeadLetterQueries deadLetters;
    private final List<String> routes = new ArrayList<>();
    private final Javalin app;

    private RestApi(Deps deps) {
        this.deps = deps;
        this.pools = new HistoryQueries(deps.stores());
        this.configs = new ConfigQueries(deps.stores());
        this.deadLetters = new DeadLetterQueries(deps.stores());
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        });
        security();
        pages();
        poolRoutes();
        configRoutes();
        serviceRoutes();
        errors();
    }

    public static Javalin create(Deps deps) {
        return new RestApi(deps).app;
    }

    /** Every route this API serves, as OpenAPI writes paths ({@code /api/pools/{pool}/members}). */
    static List<String> routes(Deps deps) {
        return Collections.unmodifiableList(new RestApi(deps).routes);
    }

    private void get(String path, Handler handler) {
        routes.add(path);
        app.get(path, ctx -> {
            ctx.attribute(ROUTE, path);
            handler.handle(ctx);
        });
    }

    private void security() {
        Optional<BearerAuth> auth = deps.token().map(BearerAuth::new);
        app.before(ctx -> {
            ctx.attribute(STARTED, System.nanoTime());
            if (auth.isPresent() && !OPEN_PATHS.contains(ctx.path()) && !auth.get().accepts(ctx.header("Authorization"))) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "unauthorized",
                        "this API needs the header Authorization: Bearer <token> (the history-api's --api-token)");
            }
        });
        app.after(ctx -> {
            Long started = ctx.attribute(STARTED);
            String route = ctx.attribute(ROUTE);
            if (started != null) {
                deps.metrics().request(ctx.method().name(), route == null ? "unmatched" : route, ctx.statusCode(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
        });
    }

    private void pages() {
        get("/", ctx -> resource(ctx, "web/index.html", "text/html; charset=utf-8"));
        get("/timeline.js", ctx -> resource(ctx, "web/timeline.js", "text/javascript; charset=utf-8"));
        get("/timeline.css", ctx -> resource(ctx, "web/timeline.css", "text/css; charset=utf-8"));
    }

    private void poolRoutes() {
        get("/api/pools", this::listPools);
        poolGet("/api/pools/{pool}/members", this::members);
        poolGet("/api/pools/{pool}/members/{member}/history", (ctx, pool) -> {
            String member = Params.name(ctx.pathParam("member"), "member");
            int limit = Params.intParam(ctx, "limit", MAX_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
            String cursor = Params.optional(ctx, "cursor");
            Page<ObjectNode> page = pools.memberEvents(pool.pool(), member, limit, cursor);
            if (page.items().isEmpty() && cursor == null) {
                throw ApiException.notFound("member", "pool " + pool.pool() + " has no member " + member);
            }
            ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool.pool()).put("member", member);
            body.putArray("events").addAll(page.items());
            body.put("next", page.next());
            ctx.json(body);
        });
        poolGet("/api/pools/{pool}/events", (ctx, pool) -> {
            Instant from = Params.instant(ctx, "from");
            Instant to = Params.instant(ctx, "to");
            Params.range(from, to);
            String type = Params.type(ctx);
            int limit = Params.intParam(ctx, "limit", 100, 1, MAX_LIMIT);
            Page<ObjectNode> page = pools.events(pool.pool(), from, to, type, limit, Params.optional(ctx, "cursor"));
            ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool.pool());
            body.putArray("events").addAll(page.items());
            body.put("next", page.next());
            ctx.json(body);
        });
        poolGet("/api/pools/{pool}/timeline", (ctx, pool) -> {
            Instant from = Params.instant(ctx, "from");
            Instant to = Optional.ofNullable(Params.instant(ctx, "to")).orElseGet(deps.clock()::instant);
            Params.range(from, to);
            ctx.json(Timeline.of(pools, pool, from, to, TIMELINE_MAX_CHANGES));
        });
    }

    private interface PoolHandler {
        void handle(Context ctx, PoolHead pool) throws Exception;
    }

    /** A pool's question: answered here if this instance owns the pool, else by the instance that does. */
    private void poolGet(String path, PoolHandler handler) {
        get(path, ctx -> {
            String name = Params.name(ctx.pathParam("pool"), "pool");
            Optional<HostInfo> owner = deps.router().ownerOf(name, ctx);
            if (owner.isPresent()) {
                deps.router().forward(ctx, owner.get());
                return;
            }
            PoolHead pool = pools.pool(name).orElseThrow(() -> ApiException.notFound("pool", "no pool named " + name));
            handler.handle(ctx, pool);
        });
    }

    /** Every pool: this instance's own, and those of every other instance (unless asked for its own only). */
    private void listPools(Context ctx) throws IOException {
        Map<String, JsonNode> byName = new TreeMap<>();
        for (PoolHead pool : localPools()) {
            byName.put(pool.pool(), Json.MAPPER.createObjectNode().put("pool", pool.pool()).put("version", pool.version())
                    .put("members", pool.size()));
        }
        if (ctx.header(Cluster.LOCAL_ONLY) == null) {
            for (HostInfo host : deps.router().others()) {
                HttpResponse<byte[]> response = deps.router().askLocal(host, "/api/pools", ctx.header("Authorization"));
                if (response.statusCode() != 200) {
                    throw new ApiException(503, "instance unavailable", "history-api instance " + host.host() + ":"
                            + host.port() + " answered " + response.statusCode() + " for its pools");
                }
                for (JsonNode pool : Json.MAPPER.readTree(response.body())) {
                    String name = pool.path("pool").asText();
                    // During a rebalance two instances may both still hold a pool: the newer version wins.
                    JsonNode known = byName.get(name);
                    if (known == null || known.path("version").asLong() < pool.path("version").asLong()) {
                        byName.put(name, pool);
                    }
                }
            }
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        byName.values().forEach(list::add);
        ctx.json(list);
    }

    /**
     * This instance's own pools. An instance that owns no partition (more instances than partitions) has
     * no local store at all, which Kafka Streams reports like a store that moved away: while it runs, that
     * means no pools here.
     */
    private List<PoolHead> localPools() {
        try {
            return pools.pools();
        } catch (InvalidStateStoreException e) {
            if (deps.state().get() == KafkaStreams.State.RUNNING) {
                return List.of();
            }
            throw e;
        } catch (ApiException e) {
            if (e.status() == 503 && deps.state().get() == KafkaStreams.State.RUNNING) {
                return List.of();
            }
            throw e;
        }
    }

    private void members(Context ctx, PoolHead pool) {
        Instant at = Params.instant(ctx, "at");
        Long version = Params.longParam(ctx, "version", 0, Long.MAX_VALUE);
        if (at != null && version != null) {
            throw ApiException.badParameter("version", "give at or version, not both");
        }
        long wanted = version != null ? version : at != null ? pools.versionAt(pool, at) : pool.version();
        HistoryQueries.PoolAt answer = pools.membersAt(pool, wanted).orElseThrow(() -> ApiException.notFound("version",
                "pool " + pool.pool() + " has no version " + wanted + " (its latest is " + pool.version() + ")"));
        ObjectNode body = Json.MAPPER.createObjectNode().put("pool", answer.pool()).put("version", answer.version())
                .put("since", answer.since() == null ? null : answer.since().toString());
        if (at != null) {
            body.put("at", at.toString());
        }
        body.set("members", Json.MAPPER.valueToTree(answer.members()));
        ctx.json(body);
    }

    private void configRoutes() {
        get("/api/configs", ctx -> {
            Optional<String> instance = instance(ctx);
            int limit = Params.intParam(ctx, "limit", 100, 1, MAX_LIMIT);
            String cursor = Params.optional(ctx, "cursor");
            long after = cursor == null ? 0 : Long.parseLong(Cursor.decode(cursor, NUMBER));
            ObjectNode body = Json.MAPPER.createObjectNode().put("instance", instance.orElse(null));
            ArrayNode known = body.putArray("instances");
            configs.instances().forEach(known::add);
            ArrayNode versions = body.putArray("versions");
            String next = null;
            if (instance.isPresent()) {
                Page<ConfigVersion> page = configs.versions(instance.get(), after, limit);
                page.items().forEach(v -> versions.add(manifest(v)));
                next = page.next() == null ? null : Cursor.encode(page.next());
            }
            body.put("next", next);
            ctx.json(body);
        });
        get("/api/configs/live", ctx -> {
            String instance = requireInstance(ctx);
            Instant at = Optional.ofNullable(Params.instant(ctx, "at")).orElseGet(deps.clock()::instant);
            ConfigQueries.Live live = configs.liveAt(instance, at).orElseThrow(() -> ApiException.notFound("config",
                    "no config of instance " + instance + " was live at " + at));
            ObjectNode body = Json.MAPPER.createObjectNode().put("instance", instance).put("at", at.toString())
                    .put("liveSince", live.since().toString());
            body.set("manifest", manifest(live.record()));
            ctx.json(body);
        });
        get("/api/configs/{version}", ctx -> {
            String instance = requireInstance(ctx);
            ConfigVersion version = configVersion(ctx, instance, "version");
            ObjectNode body = manifest(version);
            body.put("config", version.config());
            ctx.json(body);
        });
        get("/api/configs/{a}/diff/{b}", ctx -> {
            String instance = requireInstance(ctx);
            ConfigVersion a = configVersion(ctx, instance, "a");
            ConfigVersion b = configVersion(ctx, instance, "b");
            ctx.json(Json.MAPPER.createObjectNode().put("instance", instance).put("from", a.version())
                    .put("to", b.version()).put("diff", ConfigQueries.diff(a, b)));
        });
        get("/api/dead-letters", ctx -> {
            Instant from = Params.instant(ctx, "from");
            Instant to = Params.instant(ctx, "to");
            Params.range(from, to);
            int limit = Params.intParam(ctx, "limit", 100, 1, MAX_LIMIT);
            Page<ObjectNode> page = deadLetters.page(from, to, limit, Params.optional(ctx, "cursor"));
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putArray("deadLetters").addAll(page.items());
            body.put("next", page.next());
            ctx.json(body);
        });
    }

    /** The instance asked for, or the first one (by name) when the request names none. */
    private Optional<String> instance(Context ctx) {
        String raw = ctx.queryParam("instance");
        List<String> known = configs.instances();
        if (raw == null) {
            return known.stream().findFirst();
        }
        String instance = Params.name(raw, "instance");
        if (!known.contains(instance)) {
            throw ApiException.notFound("instance", "no config versions of instance " + instance
                    + (known.isEmpty() ? " (none recorded yet)" : " (known: " + String.join(", ", known) + ")"));
        }
        return Optional.of(instance);
    }

    private String requireInstance(Context ctx) {
        return instance(ctx).orElseThrow(() -> ApiException.notFound("instance", "no config versions recorded yet"));
    }

    private ConfigVersion configVersion(Context ctx, String instance, String parameter) {
        long number = Params.pathNumber(ctx, parameter, 1);
        return configs.version(instance, number).orElseThrow(() -> ApiException.notFound("version",
                "instance " + instance + " has no config version " + number));
    }

    /** A version record without its text. */
    private static ObjectNode manifest(ConfigVersion version) {
        ObjectNode node = Json.MAPPER.valueToTree(version);
        node.remove("config");
        return node;
    }

    private void serviceRoutes() {
        get("/health", ctx -> {
            KafkaStreams.State current = deps.state().get();
            String state = current == null ? "STARTING" : current.name();
            ctx.status(current == KafkaStreams.State.RUNNING ? 200 : 503).json(Map.of("status", state));
        });
        get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(deps.metrics().scrape()));
        get("/openapi.json", ctx -> resource(ctx, "openapi.json", "application/json"));
    }

    private void errors() {
        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(error(e.error(), e.getMessage())));
        app.exception(InvalidStateStoreException.class, (e, ctx) -> ctx.status(503)
                .json(error("not ready", "the history stores moved while reading (rebalancing): " + e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(error("internal error", String.valueOf(e.getMessage())));
        });
        // A 404 of a route (unknown pool …) already has its JSON body; this one is for paths no route serves.
        app.error(404, ctx -> {
            if (ctx.attribute(ROUTE) == null) {
                ctx.json(error("not found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
    }

    private static void resource(Context ctx, String name, String contentType) {
        try (InputStream in = RestApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            ctx.contentType(contentType).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> error(String error, String detail) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        return body;
    }
}
