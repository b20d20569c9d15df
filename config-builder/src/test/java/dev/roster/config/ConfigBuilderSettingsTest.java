package dev.roster.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigBuilderSettingsTest {
    private static final ConfigBuilderSettings DEFAULTS = ConfigBuilderSettings.defaults("127.0.0.1:9092", Path.of("/srv/roster"));

    @Test
    void defaultsNameEverySetting() {
        assertThat(DEFAULTS).isEqualTo(new ConfigBuilderSettings("127.0.0.1:9092", "haproxy-1", Path.of("/srv/roster"),
                Optional.empty(), "127.0.0.1", 8080, "haproxy", Optional.empty(),
                Optional.of(Path.of("/srv/roster/haproxy.sock")), true, Duration.ofMillis(50),
                Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(5), Map.of(), PoolSelection.ALL));
        assertThat(DEFAULTS.liveFile()).isEqualTo(Path.of("/srv/roster/haproxy.cfg"));
        assertThat(DEFAULTS.versionsDir()).isEqualTo(Path.of("/srv/roster/versions"));
        assertThat(DEFAULTS.serverStateFile()).isEqualTo(Path.of("/srv/roster/server-state"));
        assertThat(DEFAULTS.renderParameters()).isEqualTo(new RenderParameters("haproxy-1", "127.0.0.1", 8080,
                "/srv/roster/haproxy.sock", "/srv/roster/server-state"));
    }

    @Test
    void consumerReadsCommittedSnapshotsWithoutAGroupAndExtraPropertiesWin() {
        var props = DEFAULTS.withKafkaProperties(Map.of("client.id", "mine", "security.protocol", "PLAINTEXT"))
                .consumerProperties();

        assertThat(props).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "client.id", "mine",
                "isolation.level", "read_committed",
                "enable.auto.commit", "false",
                "auto.offset.reset", "earliest",
                "security.protocol", "PLAINTEXT"));
    }

    @Test
    void producerIsIdempotentWithAcksAllAndRoomForWholeConfigs() {
        assertThat(DEFAULTS.producerProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "client.id", "roster-config-builder-haproxy-1",
                "enable.idempotence", "true",
                "acks", "all",
                "max.block.ms", "10000",
                "compression.type", "zstd",
                "max.request.size", "16777216"));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withInstanceId("bad id"),
                        "instanceId must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"bad id\""),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withFrontend("127.0.0.1", 0),
                        "frontendPort must be 1-65535, was 0"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withFrontend("not an address", 80),
                        "frontendAddress must be an IP literal or an RFC 1123 host name, was \"not an address\""),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withHaproxyBinary(" "),
                        "haproxyBinary is required"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withCoalescing(Duration.ZERO, Duration.ofSeconds(1)),
                        "quietWindow must be positive, was 0 ms"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withCoalescing(Duration.ofMillis(100), Duration.ofMillis(50)),
                        "maxWait must be at least quietWindow (100 ms), was 50 ms"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withTimeouts(Duration.ofSeconds(-1), Duration.ofSeconds(1)),
                        "validateTimeout must be positive, was -1000 ms"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withTimeouts(Duration.ofSeconds(1), null),
                        "reloadTimeout is required"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withKafkaProperties(null),
                        "kafkaProperties is required (use an empty map)"),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withStatsSocket(Path.of("/srv/" + "s".repeat(110))),
                        "statsSocket must be a path of at most 107 bytes (a UNIX socket limit), was 115: /srv/"
                                + "s".repeat(110)),
                Arguments.of((UnaryOperator<ConfigBuilderSettings>) s -> s.withStatsSocket(Path.of("/srv/it's.sock")),
                        "statsSocket must not contain quotes or control characters, as it is written into haproxy.cfg,"
                                + " was \"/srv/it's.sock\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSettings")
    void rejectsAnInvalidSettingNamingIt(UnaryOperator<ConfigBuilderSettings> change, String message) {
        assertThatThrownBy(() -> change.apply(DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsMissingBootstrapServersAndWorkDir() {
        assertThatThrownBy(() -> ConfigBuilderSettings.defaults("", Path.of("/x")))
                .hasMessage("bootstrapServers is required");
        assertThatThrownBy(() -> ConfigBuilderSettings.defaults("h:1", null))
                .hasMessage("workDir is required");
        assertThatThrownBy(() -> ConfigBuilderSettings.defaults("h:1", Path.of("/srv/a\nb")))
                .hasMessage("workDir must not contain quotes or control characters, as it is written into haproxy.cfg,"
                        + " was \"/srv/a\\u000ab\"");
    }
}
