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
import org.apache.kafka.common.utils.Utils;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two history-api instances with one application id split the pools between them (two partitions);
 * either answers every question, forwarding a pool's to the instance that owns it.
 */
class TwoInstancesIT {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String TOKEN = "two-instances-token";
    @TempDir
    static Path dataDir;
    static EmbeddedKafka kafka;
    static final List<HistoryApi> apis = new ArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** One pool on each partition of roster.events. */
    static String poolOn0;
    static String poolOn1;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
        TopicSetup.createAll(kafka.admin(), 2, Optional.empty());
        poolOn0 = poolOnPartition(0);
        poolOn1 = poolOnPartition(1);
        for (int i = 1; i <= 2; i++) {
            apis.add(new HistoryApi(HistoryApiSettings.defaults(kafka.bootstrapServers(), dataDir.resolve("state-" + i))
                    .withApplicationId("two-instances").withHttp("127.0.0.1", 0).withApiToken(TOKEN)).start());
        }
        for (HistoryApi api : apis) {
            await().atMost(Duration.ofSeconds(90)).until(() -> request(api, "/health").statusCode() == 200);
        }
    }

    @AfterAll
    static void stop() {
        apis.forEach(HistoryApi::close);
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A pool name the default partitioner puts on {@code partition} of two, as agents' producers do. */
    private static String poolOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String name = "pool" + i;
            if (Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % 2 == partition) {
                return name;
            }
        }
    }

    @Test
    void eitherInstanceAnswersForEveryPoolAndTheWholeHistory() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, Topics.EVENTS.name(), poolOn0, EventCodec.encode(join(poolOn0, "a1", T0)));
            send(producer, Topics.EVENTS.name(), poolOn0, EventCodec.encode(join(poolOn0, "a2", T0.plusSeconds(1))));
            send(producer, Topics.EVENTS.name(), poolOn1, EventCodec.encode(join(poolOn1, "b1", T0.plusSeconds(2))));
            send(producer, Topics.EVENTS.name(), poolOn1,
                    EventCodec.encode(new MemberLeft("l1", poolOn1, "b1", 1, T0.plusSeconds(3), "t")));
            send(producer, Topics.EVENTS.name(), poolOn1, "{not json".getBytes(StandardCharsets.UTF_8));
            send(producer, Topics.CONFIG_VERSIONS.name(), "haproxy-1", Topics.CONFIG_VERSIONS.valueSerde().serializer()
                    .serialize(Topics.CONFIG_VERSIONS.name(), new ConfigVersion("haproxy-1", 1, "abc", Map.of(poolOn0, 2L),
                            ConfigVersion.APPLIED, "", T0.plusSeconds(5), "tpl", Map.of(), "global\n")));
        }
        String pools = "[{\"pool\":\"" + poolOn0 + "\",\"version\":2,\"members\":2},{\"pool\":\"" + poolOn1
                + "\",\"version\":2,\"members\":0}]";
        for (HistoryApi api : apis) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(body(api, "/api/pools")).isEqualTo(pools));
        }

        // Each instance owns one of the two pools: the other pool's answers came from the other instance.
        List<String> local = new ArrayList<>();
        for (HistoryApi api : apis) {
            JsonNode own = Json.MAPPER.readTree(request(api, "/api/pools", Cluster.LOCAL_ONLY).body());
            assertThat(own).hasSize(1);
            local.add(own.get(0).path("pool").asText());
        }
        assertThat(local).containsExactlyInAnyOrder(poolOn0, poolOn1);

        for (HistoryApi api : apis) {
            assertThat(Json.MAPPER.readTree(body(api, "/api/pools/" + poolOn0 + "/members")).path("members"))
                    .extracting(m -> m.path("name").asText()).containsExactly("a1", "a2");
            assertThat(Json.MAPPER.readTree(body(api, "/api/pools/" + poolOn1 + "/members?version=1")).path("members"))
                    .extracting(m -> m.path("name").asText()).containsExactly("b1");
            assertThat(Json.MAPPER.readTree(body(api, "/api/pools/" + poolOn1 + "/members/b1/history")).path("events"))
                    .extracting(e -> e.path("type").asText()).containsExactly("member-joined", "member-left");
            HttpResponse<String> unknown = request(api, "/api/pools/nosuchpool/members", null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).isEqualTo("{\"detail\":\"no pool named nosuchpool\",\"error\":\"pool not found\"}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(Json.MAPPER.readTree(body(api, "/api/configs")).path("versions"))
                        .extracting(v -> v.path("version").asLong()).containsExactly(1L);
                assertThat(Json.MAPPER.readTree(body(api, "/api/dead-letters")).path("deadLetters"))
                        .extracting(d -> d.path("reason").asText()).singleElement().asString().startsWith("malformed JSON");
            });
        }
    }

    private static MemberJoined join(String pool, String member, Instant at) {
        return new MemberJoined(pool + member, pool, member, 1, at, "t", "127.0.0.1", 8080, 100, Map.of());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static String body(HistoryApi api, String path) throws Exception {
        HttpResponse<String> response = request(api, path, null);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> request(HistoryApi api, String path) throws Exception {
        return request(api, path, null);
    }

    private static HttpResponse<String> request(HistoryApi api, String path, String extraHeader) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.url() + path))
                .header("Authorization", "Bearer " + TOKEN);
        if (extraHeader != null) {
            request.header(extraHeader, "true");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
