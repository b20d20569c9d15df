package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.ConfigVersion;
import dev.roster.core.LogPosition;
import dev.roster.core.Topics;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Config versions and dead letters: read whole into global stores, asked by instance, version and time. */
class GlobalStoresTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, ConfigVersion> configVersions;
    private TestInputTopic<String, byte[]> events;
    private final FoldMetrics metrics = new FoldMetrics();
    private ConfigQueries configs;
    private DeadLetterQueries deadLetters;

    @BeforeEach
    void start() {
        driver = HistoryTestDriver.start(stateDir, metrics, DetectorSettings.defaults());
        configVersions = HistoryTestDriver.input(driver, Topics.CONFIG_VERSIONS);
        events = HistoryTestDriver.input(driver, Topics.EVENTS);
        configs = new ConfigQueries(new DriverStores(driver));
        deadLetters = new DeadLetterQueries(new DriverStores(driver));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    static ConfigVersion version(String instance, long number, String status, Instant at, String text) {
        return new ConfigVersion(instance, number, "sha-" + number, Map.of("web", number), status,
                status.equals(ConfigVersion.REJECTED) ? "haproxy -c: bad" : "", at, "tpl",
                Map.of("web", new LogPosition(0, number)), text);
    }

    private void publish(ConfigVersion version) {
        configVersions.pipeInput(version.instance(), version);
    }

    @Test
    void listsVersionsByInstanceAndPagesThem() {
        publish(version("haproxy-2", 1, "applied", T0, "a\n"));
        for (int v = 1; v <= 5; v++) {
            publish(version("haproxy-1", v, "applied", T0.plusSeconds(v), "v" + v + "\n"));
        }
        assertThat(configs.instances()).containsExactly("haproxy-1", "haproxy-2");
        Page<ConfigVersion> first = configs.versions("haproxy-1", 0, 3);
        assertThat(first.items()).extracting(ConfigVersion::version).containsExactly(1L, 2L, 3L);
        assertThat(first.next()).isEqualTo("3");
        Page<ConfigVersion> rest = configs.versions("haproxy-1", 3, 3);
        assertThat(rest.items()).extracting(ConfigVersion::version).containsExactly(4L, 5L);
        assertThat(rest.next()).isNull();
        assertThat(configs.version("haproxy-1", 4).orElseThrow().config()).isEqualTo("v4\n");
        assertThat(configs.version("haproxy-1", 6)).isEmpty();
        assertThat(metrics.configsApplied()).isEqualTo(6);
    }

    @Test
    void theLiveConfigAtAnInstantIsTheNewestAppliedOneBeforeIt() {
        publish(version("haproxy-1", 1, "applied", T0, "one\n"));
        publish(version("haproxy-1", 2, "rejected", T0.plusSeconds(10), "two\n"));
        publish(version("haproxy-1", 3, "applied", T0.plusSeconds(20), "three\n"));

        assertThat(configs.liveAt("haproxy-1", T0.minusMillis(1))).isEmpty();
        assertThat(configs.liveAt("haproxy-1", T0).orElseThrow().record().version()).isEqualTo(1);
        ConfigQueries.Live during = configs.liveAt("haproxy-1", T0.plusSeconds(15)).orElseThrow();
        assertThat(during.record().version()).as("a rejected version never goes live").isEqualTo(1);
        assertThat(during.since()).isEqualTo(T0);
        assertThat(configs.liveAt("haproxy-1", T0.plusSeconds(20)).orElseThrow().record().version()).isEqualTo(3);
        assertThat(metrics.configsRejected()).isEqualTo(1);
    }

    @Test
    void diffsTwoVersionsAsAUnifiedDiff() {
        ConfigVersion seven = version("haproxy-1", 7, "applied", T0, "global\n  maxconn 100\nbackend web\n  server s1 10.0.0.1:80\n");
        ConfigVersion eight = version("haproxy-1", 8, "applied", T0, "global\n  maxconn 100\nbackend web\n  server s1 10.0.0.1:80\n  server s2 10.0.0.2:80\n");
        assertThat(ConfigQueries.diff(seven, eight)).isEqualTo("""
                --- haproxy-000007.cfg
                +++ haproxy-000008.cfg
                @@ -2,3 +2,4 @@
                   maxconn 100
                 backend web
                   server s1 10.0.0.1:80
                +  server s2 10.0.0.2:80
                """);
        assertThat(ConfigQueries.diff(seven, seven)).isEmpty();
    }

    @Test
    void keepsWhatTheFoldRefusedWithTheReasonAndTheRawBytes() {
        events.pipeInput("web", "{\"schema\":1".getBytes(StandardCharsets.UTF_8), T0);
        events.pipeInput("web", new byte[] {(byte) 0xff, 0x00}, T0.plusSeconds(1));

        Page<ObjectNode> page = deadLetters.page(null, null, 10, null);
        assertThat(page.items()).hasSize(2);
        ObjectNode first = page.items().get(0);
        assertThat(first.path("reason").asText()).startsWith("malformed JSON: ");
        assertThat(first.path("topic").asText()).isEqualTo("roster.events");
        assertThat(first.path("text").asText()).isEqualTo("{\"schema\":1");
        assertThat(first.path("at").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(page.items().get(1).path("text").isNull()).as("not UTF-8: bytes only").isTrue();
        assertThat(page.items().get(1).path("value").asText()).isEqualTo("/wA=");

        Page<ObjectNode> one = deadLetters.page(null, null, 1, null);
        assertThat(one.next()).isNotNull();
        assertThat(deadLetters.page(null, null, 1, one.next()).items()).hasSize(1);
        assertThat(deadLetters.page(T0.plusMillis(500), null, 10, null).items()).hasSize(1);
    }
}
