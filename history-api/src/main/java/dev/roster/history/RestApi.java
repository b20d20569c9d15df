package dev.roster.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.Fields;
import dev.roster.core.Json;
import dev.roster.core.MemberSet;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.apache.kafka.streams.KafkaStreams;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The REST API over this instance's state stores. Every error is a JSON body {"error", "detail"}. */
public final class RestApi {
    /** Most events one page of /events returns. */
    static final int MAX_LIMIT = 1000;

    private RestApi() {
    }

    public static Javalin create(HistoryQueries queries, Supplier<KafkaStreams.State> state, FoldMetrics metrics) {
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        });

        app.get("/health", ctx -> {
            KafkaStreams.State current = state.get();
            ctx.status(current == KafkaStreams.State.RUNNING ? 200 : 503).json(Map.of("status", current.name()));
        });

        app.get("/api/pools", ctx -> {
            ArrayNode pools = Json.MAPPER.createArrayNode();
            for (MemberSet pool : queries.pools()) {
                pools.addObject().put("pool", pool.pool()).put("version", pool.version())
                        .put("members", pool.members().size());
            }
            ctx.json(pools);
        });

        app.get("/api/pools/{pool}/members", ctx -> {
            MemberSet pool = knownPool(queries, ctx);
            ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool.pool()).put("version", pool.version());
            body.set("members", Json.MAPPER.valueToTree(pool.memberList()));
            ctx.json(body);
        });

        app.get("/api/pools/{pool}/members/{member}/history", ctx -> {
            MemberSet pool = knownPool(queries, ctx);
            String member = name(ctx.pathParam("member"), "member");
            List<LoggedEvent> events = queries.memberEvents(pool.pool(), member);
            if (events.isEmpty()) {
                throw ApiException.notFound("member", "pool " + pool.pool() + " has no member " + member);
            }
            ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool.pool()).put("member", member);
            ArrayNode list = body.putArray("events");
            events.forEach(e -> list.add(e.toJson()));
            ctx.json(body);
        });

        app.get("/api/pools/{pool}/events", ctx -> {
            MemberSet pool = knownPool(queries, ctx);
            int limit = intParam(ctx, "limit", 100, 1, MAX_LIMIT);
            ObjectNode body = Json.MAPPER.createObjectNode().put("pool", pool.pool());
            ArrayNode list = body.putArray("events");
            queries.poolEvents(pool.pool(), limit).forEach(e -> list.add(e.toJson()));
            ctx.json(body);
        });

        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(
                "# TYPE roster_events_folded_total counter\nroster_events_folded_total " + metrics.folded() + "\n"
                        + "# TYPE roster_member_set_changes_total counter\nroster_member_set_changes_total " + metrics.changes() + "\n"
                        + "# TYPE roster_events_duplicate_total counter\nroster_events_duplicate_total " + metrics.duplicates() + "\n"
                        + "# TYPE roster_dead_letters_total counter\nroster_dead_letters_total " + metrics.deadLetters() + "\n"));

        app.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(error(e.error(), e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> ctx.status(500).json(error("internal error", String.valueOf(e.getMessage()))));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ctx.json(error("not found", "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        return app;
    }

    private static MemberSet knownPool(HistoryQueries queries, Context ctx) {
        String pool = name(ctx.pathParam("pool"), "pool");
        return queries.pool(pool).orElseThrow(() -> ApiException.notFound("pool", "no pool named " + pool));
    }

    private static String name(String value, String parameter) {
        try {
            return Fields.name(parameter, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(parameter, e.getMessage());
        }
    }

    private static int intParam(Context ctx, String parameter, int fallback, int min, int max) {
        String raw = ctx.queryParam(parameter);
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw ApiException.badParameter(parameter, parameter + " must be an integer " + min + "-" + max + ", was "
                + Fields.quote(raw));
    }

    private static Map<String, String> error(String error, String detail) {
        return Map.of("error", error, "detail", detail);
    }
}
