package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.Json;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API over a known history (see {@link ApiFixture}), without a broker. */
class RestApiTest {
    @TempDir
    static Path stateDir;
    static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(stateDir, Optional.empty());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode json(String path) throws Exception {
        HttpResponse<String> response = api.get(path);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void listsEveryPoolWithItsVersionAndMemberCount() throws Exception {
        assertThat(json("/api/pools").toString()).isEqualTo(
                "[{\"pool\":\"api\",\"version\":1,\"members\":1},{\"pool\":\"web\",\"version\":6,\"members\":1}]");
    }

    @Test
    void answersTheMemberSetNowAtAVersionAndAtAnInstant() throws Exception {
        assertThat(json("/api/pools/web/members").toString()).isEqualTo("{\"pool\":\"web\",\"version\":6,"
                + "\"since\":\"2026-11-27T10:05:00Z\",\"members\":[{\"name\":\"s3\",\"address\":\"127.0.0.1\",\"port\":8083,"
                + "\"weight\":100,\"tags\":{},\"state\":\"active\"}]}");
        assertThat(json("/api/pools/web/members?version=3").toString()).isEqualTo("{\"pool\":\"web\",\"version\":3,"
                + "\"since\":\"2026-11-27T10:02:00Z\",\"members\":[{\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":8081,"
                + "\"weight\":100,\"tags\":{},\"state\":\"draining\"},{\"name\":\"s2\",\"address\":\"127.0.0.1\","
                + "\"port\":8082,\"weight\":100,\"tags\":{},\"state\":\"active\"}]}");
        JsonNode at = json("/api/pools/web/members?at=2026-11-27T10:04:30Z");
        assertThat(at.path("version").asLong()).isEqualTo(5);
        assertThat(at.path("at").asText()).isEqualTo("2026-11-27T10:04:30Z");
        assertThat(at.path("members")).isEmpty();
        assertThat(json("/api/pools/web/members?at=2026-11-27T09:00:00Z").toString())
                .isEqualTo("{\"pool\":\"web\",\"version\":0,\"since\":null,\"at\":\"2026-11-27T09:00:00Z\",\"members\":[]}");
    }

    @Test
    void pagesThroughThePoolLogWithFiltersAndACursor() throws Exception {
        JsonNode first = json("/api/pools/web/events?limit=4");
        assertThat(first.path("events")).extracting(e -> e.path("member").asText() + " " + e.path("type").asText())
                .containsExactly("s1 member-joined", "s2 member-joined", "s1 member-draining", "s1 member-left");
        JsonNode second = json("/api/pools/web/events?limit=4&cursor=" + first.path("next").asText());
        assertThat(second.path("events")).extracting(e -> e.path("member").asText() + " " + e.path("type").asText())
                .containsExactly("s2 member-failed", "s3 member-joined");
        assertThat(second.path("next").isNull()).isTrue();

        JsonNode failed = json("/api/pools/web/events?type=member-failed").path("events");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).toString()).isEqualTo("{\"schema\":2,\"type\":\"member-failed\",\"id\":\"e5\","
                + "\"pool\":\"web\",\"member\":\"s2\",\"incarnation\":1,\"at\":\"2026-11-27T10:04:00Z\","
                + "\"source\":\"failure-detector\",\"reason\":\"no heartbeat for 2100 ms\",\"partition\":0,\"offset\":4,"
                + "\"applied\":true,\"poolVersion\":5}");
        assertThat(json("/api/pools/web/events?from=2026-11-27T10:01:00Z&to=2026-11-27T10:03:00Z").path("events"))
                .extracting(e -> e.path("type").asText()).containsExactly("member-joined", "member-draining", "member-left");
    }

    @Test
    void showsEveryEventOfOneMemberInOrder() throws Exception {
        JsonNode history = json("/api/pools/web/members/s1/history");
        assertThat(history.path("events")).extracting(e -> e.path("type").asText() + "@" + e.path("at").asText())
                .containsExactly("member-joined@2026-11-27T10:00:00Z", "member-draining@2026-11-27T10:02:00Z",
                        "member-left@2026-11-27T10:03:00Z");
        assertThat(history.path("next").isNull()).isTrue();
    }

    @Test
    void drawsTheTimelineOfAPool() throws Exception {
        JsonNode timeline = json("/api/pools/web/timeline");
        assertThat(timeline.path("from").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(timeline.path("to").asText()).isEqualTo("2026-11-27T10:10:00Z");
        assertThat(timeline.path("members")).extracting(m -> m.path("member").asText()).containsExactly("s1", "s2", "s3");
        assertThat(timeline.path("members").get(1).path("segments").toString()).isEqualTo("[{\"from\":"
                + "\"2026-11-27T10:01:00Z\",\"to\":\"2026-11-27T10:04:00Z\",\"state\":\"active\",\"startedBy\":"
                + "\"member-joined\",\"endedBy\":\"member-failed\"}]");
    }

    @Test
    void listsShowsAndDiffsConfigVersions() throws Exception {
        JsonNode list = json("/api/configs");
        assertThat(list.path("instance").asText()).isEqualTo("haproxy-1");
        assertThat(list.path("instances").toString()).isEqualTo("[\"haproxy-1\"]");
        assertThat(list.path("versions")).extracting(v -> v.path("version").asLong() + " " + v.path("status").asText())
                .containsExactly("1 applied", "2 rejected", "3 applied");
        assertThat(list.path("versions").get(0).has("config")).as("a list carries no config text").isFalse();

        JsonNode two = json("/api/configs/2");
        assertThat(two.path("config").asText()).isEqualTo(ApiFixture.CONFIG_2);
        assertThat(two.path("reason").asText()).isEqualTo("[ALERT] parsing: 'weight' expects an integer");
        assertThat(two.path("poolVersions").toString()).isEqualTo("{\"web\":2}");

        assertThat(json("/api/configs/1/diff/3").toString()).isEqualTo("{\"instance\":\"haproxy-1\",\"from\":1,\"to\":3,"
                + "\"diff\":\"--- haproxy-000001.cfg\\n+++ haproxy-000003.cfg\\n@@ -2,3 +2,4 @@\\n   maxconn 100\\n"
                + " backend web\\n   server s1 127.0.0.1:8081\\n+  server s2 127.0.0.1:8082\\n\"}");

        JsonNode live = json("/api/configs/live?at=2026-11-27T10:01:01.500Z");
        assertThat(live.path("manifest").path("version").asLong()).as("version 2 was rejected, 1 stayed live").isEqualTo(1);
        assertThat(live.path("liveSince").asText()).isEqualTo("2026-11-27T10:00:01Z");
        assertThat(json("/api/configs/live").path("manifest").path("version").asLong()).isEqualTo(3);
        assertThat(json("/api/configs/live?instance=haproxy-1&at=2026-11-27T10:01:02Z").path("manifest")
                .path("version").asLong()).isEqualTo(3);
    }

    @Test
    void listsDeadLettersWithTheirReason() throws Exception {
        JsonNode letters = json("/api/dead-letters").path("deadLetters");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).path("reason").asText()).startsWith("malformed JSON: ");
        assertThat(letters.get(0).path("text").asText()).isEqualTo("{\"schema\":1,\"type\":\"member-joined\"");
        assertThat(letters.get(0).path("offset").asLong()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/api/pools/nope/members|404|{\"detail\":\"no pool named nope\",\"error\":\"pool not found\"}",
            "/api/pools/web%23x/members|400|{\"detail\":\"pool must match [A-Za-z0-9][A-Za-z0-9._-]*, was \\\"web#x\\\"\",\"error\":\"bad parameter: pool\"}",
            "/api/pools/web/members?version=7|404|{\"detail\":\"pool web has no version 7 (its latest is 6)\",\"error\":\"version not found\"}",
            "/api/pools/web/members?version=-1|400|{\"detail\":\"version must be an integer 0 or more, was \\\"-1\\\"\",\"error\":\"bad parameter: version\"}",
            "/api/pools/web/members?at=yesterday|400|{\"detail\":\"at must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, was \\\"yesterday\\\"\",\"error\":\"bad parameter: at\"}",
            "/api/pools/web/members?at=2026-11-27T10:00:00Z&version=1|400|{\"detail\":\"give at or version, not both\",\"error\":\"bad parameter: version\"}",
            "/api/pools/web/members/ghost/history|404|{\"detail\":\"pool web has no member ghost\",\"error\":\"member not found\"}",
            "/api/pools/web/events?limit=abc|400|{\"detail\":\"limit must be an integer 1-1000, was \\\"abc\\\"\",\"error\":\"bad parameter: limit\"}",
            "/api/pools/web/events?type=member-exploded|400|{\"detail\":\"type must be one of member-joined, member-updated, member-draining, member-left, member-failed, member-recovered, was \\\"member-exploded\\\"\",\"error\":\"bad parameter: type\"}",
            "/api/pools/web/events?from=2026-11-27T10:05:00Z&to=2026-11-27T10:00:00Z|400|{\"detail\":\"from must not be after to, was 2026-11-27T10:05:00Z > 2026-11-27T10:00:00Z\",\"error\":\"bad parameter: from\"}",
            "/api/pools/web/events?cursor=xyz|400|{\"detail\":\"cursor is not one this API gave out; pass the next value of a previous page unchanged\",\"error\":\"bad parameter: cursor\"}",
            "/api/configs/0|400|{\"detail\":\"version must be an integer 1 or more, was \\\"0\\\"\",\"error\":\"bad parameter: version\"}",
            "/api/configs/9|404|{\"detail\":\"instance haproxy-1 has no config version 9\",\"error\":\"version not found\"}",
            "/api/configs/1/diff/x|400|{\"detail\":\"b must be an integer 1 or more, was \\\"x\\\"\",\"error\":\"bad parameter: b\"}",
            "/api/configs?instance=haproxy-9|404|{\"detail\":\"no config versions of instance haproxy-9 (known: haproxy-1)\",\"error\":\"instance not found\"}",
            "/api/configs/live?at=2026-11-27T09:00:00Z|404|{\"detail\":\"no config of instance haproxy-1 was live at 2026-11-27T09:00:00Z\",\"error\":\"config not found\"}",
            "/api/nothing|404|{\"detail\":\"no such endpoint: GET /api/nothing\",\"error\":\"not found\"}",
    })
    void answersBadParametersAndUnknownNamesWithOneJsonError(String path, int status, String body) throws Exception {
        HttpResponse<String> response = api.get(path);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void anInstanceThatOwnsNoPartitionHasNoPoolsOfItsOwn() throws Exception {
        StoreSource none = new StoreSource() {
            @Override
            public <V> org.apache.kafka.streams.state.ReadOnlyKeyValueStore<String, V> store(String name) {
                throw StreamsStores.notReady("RUNNING");
            }
        };
        ApiMetrics metrics = new ApiMetrics(new FoldMetrics());
        io.javalin.Javalin app = RestApi.create(new RestApi.Deps(none, Router.LOCAL, () -> KafkaStreams.State.RUNNING,
                metrics, Optional.empty(), Clock.systemUTC())).start("127.0.0.1", 0);
        try {
            HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/api/pools")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("[]");
        } finally {
            app.stop();
            metrics.close();
        }
    }

    @Test
    void isHealthyOnlyWhileStreamsRuns() throws Exception {
        assertThat(api.get("/health").body()).isEqualTo("{\"status\":\"RUNNING\"}");
        try (var starting = new RestApiRunning(KafkaStreams.State.REBALANCING)) {
            HttpResponse<String> response = starting.get("/health");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"status\":\"REBALANCING\"}");
        }
    }

    @Test
    void exposesCountersInPrometheusText() throws Exception {
        HttpResponse<String> response = api.get("/metrics");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
                "roster_events_folded_total 7.0",
                "roster_member_set_changes_total 7.0",
                "roster_dead_letters_total 1.0",
                "roster_config_versions_total{status=\"applied\"} 2.0",
                "roster_config_versions_total{status=\"rejected\"} 1.0");
        assertThat(response.body()).contains("# TYPE roster_events_folded_total counter", "jvm_memory_used_bytes");
    }

    @Test
    void describesEveryEndpointInAValidOpenApiDocument() throws Exception {
        String document = api.get("/openapi.json").body();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
        List<String> routes = RestApi.routes(new RestApi.Deps(new DriverStores(api.driver), Router.LOCAL,
                () -> KafkaStreams.State.RUNNING, new ApiMetrics(new FoldMetrics()), Optional.empty(), Clock.systemUTC()));
        assertThat(new ArrayList<>(parsed.getOpenAPI().getPaths().keySet())).containsExactlyInAnyOrderElementsOf(routes);
        parsed.getOpenAPI().getPaths().forEach((path, item) -> assertThat(item.getGet()).as(path).isNotNull());
    }

    @Test
    void servesTheTimelinePage() throws Exception {
        HttpResponse<String> page = api.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
        assertThat(page.body()).contains("<script src=\"timeline.js\"></script>");
        assertThat(api.get("/timeline.js").body()).contains("async function render()");
        assertThat(api.get("/timeline.css").statusCode()).isEqualTo(200);
    }

    /** The same API as another Streams state reports it. */
    private static final class RestApiRunning implements AutoCloseable {
        private final io.javalin.Javalin app;
        private final ApiMetrics metrics = new ApiMetrics(new FoldMetrics());

        RestApiRunning(KafkaStreams.State state) {
            app = RestApi.create(new RestApi.Deps(new DriverStores(api.driver), Router.LOCAL, () -> state, metrics,
                    Optional.empty(), Clock.systemUTC())).start("127.0.0.1", 0);
        }

        HttpResponse<String> get(String path) throws Exception {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + app.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        }

        @Override
        public void close() {
            app.stop();
            metrics.close();
        }
    }
}
