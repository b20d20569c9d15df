package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.ConfigVersion;
import dev.roster.core.EventCodec;
import dev.roster.core.Json;
import dev.roster.core.MemberJoined;
import dev.roster.core.MemberLeft;
import dev.roster.core.TopicSetup;
import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HistoryApiIT {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    @TempDir
    static Path dataDir;
    static EmbeddedKafka kafka;
    static HistoryApi api;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        TopicSetup.createAll(kafka.admin(), 2, Optional.empty());
        api = new HistoryApi(HistoryApiSettings.defaults(kafka.bootstrapServers(), dataDir.resolve("state"))
                .withHttp("127.0.0.1", 0)).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> request("/health").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        api.close();
        kafka.close();
    }

    @Test
    void foldsEventsFromKafkaAndAnswersOverRest() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, "shop", EventCodec.encode(new MemberJoined("a1", "shop", "s1", 1, T0, "t", "127.0.0.1", 8081, 100, Map.of())));
            send(producer, "shop", EventCodec.encode(new MemberJoined("a2", "shop", "s2", 1, T0, "t", "127.0.0.1", 8082, 100, Map.of())));
            send(producer, "shop", EventCodec.encode(new MemberLeft("a3", "shop", "s1", 1, T0.plusSeconds(3), "t")));
            send(producer, "shop", "not json".getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("/api/pools/shop/members").path("version").asLong()).isEqualTo(3));

        JsonNode members = get("/api/pools/shop/members");
        assertThat(members.path("members")).hasSize(1);
        assertThat(members.path("members").get(0).path("name").asText()).isEqualTo("s2");

        JsonNode history = get("/api/pools/shop/members/s1/history").path("events");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("type").asText()).isEqualTo("member-joined");
        assertThat(history.get(0).path("at").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(history.get(1).path("type").asText()).isEqualTo("member-left");
        assertThat(history.get(1).path("at").asText()).isEqualTo("2026-11-27T10:00:03Z");

        JsonNode pools = get("/api/pools");
        assertThat(pools).filteredOn(pool -> pool.path("pool").asText().equals("shop"))
                .extracting(JsonNode::toString).containsExactly("{\"pool\":\"shop\",\"version\":3,\"members\":1}");
        assertThat(get("/api/pools/shop/events").path("events")).hasSize(3);
        assertThat(get("/api/pools/shop/members?at=2026-11-27T10:00:01Z").path("members"))
                .extracting(m -> m.path("name").asText()).containsExactly("s1", "s2");
        assertThat(get("/api/pools/shop/members?version=2").path("since").asText()).isEqualTo("2026-11-27T10:00:00Z");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.metrics().deadLetters() == 1);
        // The refused record comes back through roster.dead-letters into the store every instance keeps.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/api/dead-letters").path("deadLetters"))
                .extracting(d -> d.path("text").asText()).contains("not json"));
    }

    @Test
    void aCleanlyStoppedInstanceLeavesItsGroupSoThatItsSuccessorFoldsAtOnce() throws Exception {
        api.close();
        long restart = System.nanoTime();
        api = new HistoryApi(HistoryApiSettings.defaults(kafka.bootstrapServers(), dataDir.resolve("state"))
                .withHttp("127.0.0.1", 0)).start();
        send("restarted", EventCodec.encode(new MemberJoined("r1", "restarted", "s1", 1, T0, "t", "127.0.0.1", 8081, 100,
                Map.of())));

        // Had the old instance stayed in the group, its partitions would wait for its session to time out
        // (45 s by default) before the new one got them.
        await().atMost(Duration.ofSeconds(60)).until(() -> request("/api/pools/restarted/members").statusCode() == 200);
        Duration took = Duration.ofNanos(System.nanoTime() - restart);
        System.out.printf("restarted history-api folded a new event %d ms after the restart%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void answersWhichConfigWasLiveFromRosterConfigVersions() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int v = 1; v <= 2; v++) {
                ConfigVersion version = new ConfigVersion("lb-7", v, "sha" + v, Map.of("shop", (long) v), ConfigVersion.APPLIED,
                        "", T0.plusSeconds(10 * v), "tpl", Map.of(), "backend shop # v" + v + "\n");
                producer.send(new ProducerRecord<>(Topics.CONFIG_VERSIONS.name(), "lb-7",
                        Topics.CONFIG_VERSIONS.valueSerde().serializer().serialize(Topics.CONFIG_VERSIONS.name(), version))).get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("/api/configs?instance=lb-7").path("versions")).hasSize(2));
        assertThat(get("/api/configs/live?instance=lb-7&at=2026-11-27T10:00:15Z").path("manifest").path("version").asLong())
                .isEqualTo(1);
        assertThat(get("/api/configs/1/diff/2?instance=lb-7").path("diff").asText()).isEqualTo(
                "--- haproxy-000001.cfg\n+++ haproxy-000002.cfg\n@@ -1,1 +1,1 @@\n-backend shop # v1\n+backend shop # v2\n");
    }

    @Test
    void answersBadParametersAndUnknownNamesWithJsonErrors() throws Exception {
        HttpResponse<String> unknownPool = request("/api/pools/nope/members");
        assertThat(unknownPool.statusCode()).isEqualTo(404);
        assertThat(unknownPool.body()).isEqualTo("{\"detail\":\"no pool named nope\",\"error\":\"pool not found\"}");

        send("web", EventCodec.encode(new MemberJoined("b1", "web", "s9", 1, T0, "t", "127.0.0.1", 8089, 100, Map.of())));
        await().atMost(Duration.ofSeconds(60)).until(() -> request("/api/pools/web/members").statusCode() == 200);
        HttpResponse<String> badLimit = request("/api/pools/web/events?limit=abc");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(badLimit.body()).path("error").asText()).isEqualTo("bad parameter: limit");
        assertThat(Json.MAPPER.readTree(badLimit.body()).path("detail").asText())
                .isEqualTo("limit must be an integer 1-1000, was \"abc\"");

        HttpResponse<String> badName = request("/api/pools/web%23x/members");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(badName.body()).path("error").asText()).isEqualTo("bad parameter: pool");

        HttpResponse<String> unknownMember = request("/api/pools/web/members/ghost/history");
        assertThat(unknownMember.statusCode()).isEqualTo(404);
    }

    private static void send(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, key, value);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), key, value)).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = request(path);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static HttpResponse<String> request(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
