package dev.roster.history;

import dev.roster.core.ConfigVersion;
import dev.roster.core.EventCodec;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberFailed;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.Topics;
import io.javalin.Javalin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API over a {@link TopologyTestDriver} with a small known history, on a free port: pool
 * {@code web} (s1 joins, drains, leaves; s2 joins and fails; s3 joins), pool {@code api} (a1 joins),
 * three config versions of {@code haproxy-1} (the second rejected) and one dead letter. "Now" is
 * {@link #NOW}.
 */
final class ApiFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant NOW = T0.plusSeconds(600);
    static final String CONFIG_1 = "global\n  maxconn 100\nbackend web\n  server s1 127.0.0.1:8081\n";
    static final String CONFIG_2 = "global\n  maxconn 100\nbackend web\n  server s1 127.0.0.1:8081 weight oops\n";
    static final String CONFIG_3 = "global\n  maxconn 100\nbackend web\n  server s1 127.0.0.1:8081\n  server s2 127.0.0.1:8082\n";

    final TopologyTestDriver driver;
    final Javalin app;
    final FoldMetrics metrics = new FoldMetrics();
    private final ApiMetrics apiMetrics = new ApiMetrics(metrics);
    private final TestInputTopic<String, byte[]> events;
    private final TestInputTopic<String, ConfigVersion> configs;
    private final HttpClient http = HttpClient.newHttpClient();
    private int ids;

    ApiFixture(Path stateDir, Optional<String> token) {
        driver = HistoryTestDriver.start(stateDir, metrics, DetectorSettings.defaults());
        events = HistoryTestDriver.input(driver, Topics.EVENTS);
        configs = HistoryTestDriver.input(driver, Topics.CONFIG_VERSIONS);
        history();
        app = RestApi.create(new RestApi.Deps(new DriverStores(driver), Router.LOCAL, () -> KafkaStreams.State.RUNNING,
                apiMetrics, token, Clock.fixed(NOW, ZoneOffset.UTC))).start("127.0.0.1", 0);
    }

    private void history() {
        send(join("web", "s1", 8081, T0));                                                      // web v1
        send(join("web", "s2", 8082, T0.plusSeconds(60)));                                      // web v2
        send(new MemberDraining(id(), "web", "s1", 1, T0.plusSeconds(120), "agent"));           // web v3
        send(new MemberLeft(id(), "web", "s1", 1, T0.plusSeconds(180), "agent"));               // web v4
        send(new MemberFailed(id(), "web", "s2", 1, T0.plusSeconds(240), "failure-detector", "no heartbeat for 2100 ms"));
        send(join("web", "s3", 8083, T0.plusSeconds(300)));                                     // web v6
        send(join("api", "a1", 9001, T0.plusSeconds(30)));                                      // api v1
        events.pipeInput("web", "{\"schema\":1,\"type\":\"member-joined\"".getBytes(StandardCharsets.UTF_8),
                T0.plusSeconds(400));
        configs.pipeInput("haproxy-1", version(1, ConfigVersion.APPLIED, "", T0.plusSeconds(1), CONFIG_1));
        configs.pipeInput("haproxy-1", version(2, ConfigVersion.REJECTED, "[ALERT] parsing: 'weight' expects an integer",
                T0.plusSeconds(61), CONFIG_2));
        configs.pipeInput("haproxy-1", version(3, ConfigVersion.APPLIED, "", T0.plusSeconds(62), CONFIG_3));
    }

    private static ConfigVersion version(long number, String status, String reason, Instant at, String text) {
        return new ConfigVersion("haproxy-1", number, "sha" + number, Map.of("web", number), status, reason, at,
                "template-sha", Map.of(), text);
    }

    private String id() {
        return "e" + (++ids);
    }

    private MemberJoined join(String pool, String member, int port, Instant at) {
        return new MemberJoined(id(), pool, member, 1, at, "agent", "127.0.0.1", port, 100, Map.of());
    }

    private void send(MemberEvent event) {
        events.pipeInput(event.pool(), EventCodec.encode(event), event.at());
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    HttpResponse<String> get(String path) throws Exception {
        return get(path, null);
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        app.stop();
        apiMetrics.close();
        driver.close();
    }
}
