package dev.roster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");

    @Test
    void writesJoinAsStableJson() {
        MemberJoined joined = new MemberJoined("e1", "web", "s1", 7, AT, "agent@host", "127.0.0.1", 8081, 100,
                Map.of("zone", "a"));
        assertThat(new String(EventCodec.encode(joined), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":2,\"type\":\"member-joined\",\"id\":\"e1\",\"pool\":\"web\",\"member\":\"s1\","
                        + "\"incarnation\":7,\"at\":\"2026-11-27T10:15:30.123Z\",\"source\":\"agent@host\","
                        + "\"address\":\"127.0.0.1\",\"port\":8081,\"weight\":100,\"tags\":{\"zone\":\"a\"}}");
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        MemberEvent[] events = {
                new MemberJoined("e1", "web", "s1", 7, AT, "agent", "::1", 1, 0, Map.of()),
                new MemberLeft("e2", "web", "s1", 7, AT, "agent"),
                new MemberFailed("e3", "web", "s1", 7, AT, "detector", "no heartbeat for 2000 ms"),
        };
        for (MemberEvent event : events) {
            assertThat(EventCodec.decode(EventCodec.encode(event))).isEqualTo(event);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{not json|malformed JSON: ",
            "[1,2]|event must be a JSON object",
            "{\"type\":\"member-left\"}|missing field schema",
            "{\"schema\":3,\"type\":\"member-left\"}|unsupported schema 3 (this reader knows 1-2)",
            "{\"schema\":\"1\"}|field schema must be an integer",
            "{\"schema\":1,\"type\":\"member-exploded\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s1\",\"incarnation\":1,\"at\":\"2026-11-27T10:15:30Z\",\"source\":\"x\"}|unknown type \"member-exploded\"",
            "{\"schema\":1,\"type\":\"member-left\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s 1\",\"incarnation\":1,\"at\":\"2026-11-27T10:15:30Z\",\"source\":\"x\"}|invalid member-left: member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"s 1\"",
            "{\"schema\":1,\"type\":\"member-left\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s1\",\"incarnation\":1,\"at\":\"yesterday\",\"source\":\"x\"}|field at must be an ISO-8601 instant, was \"yesterday\"",
            "{\"schema\":1,\"type\":\"member-joined\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s1\",\"incarnation\":1,\"at\":\"2026-11-27T10:15:30Z\",\"source\":\"x\",\"address\":\"127.0.0.1\",\"port\":0}|invalid member-joined: port must be 1-65535, was 0",
            "{\"schema\":1,\"type\":\"member-joined\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s1\",\"incarnation\":1,\"at\":\"2026-11-27T10:15:30Z\",\"source\":\"x\",\"port\":80}|missing field address",
            "{\"schema\":1,\"schema\":1}|malformed JSON: Duplicate field 'schema'",
    })
    void refusesBrokenRecordsWithAReason(String json, String reason) {
        assertThatThrownBy(() -> EventCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith(reason)
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesEmptyRecord() {
        assertThatThrownBy(() -> EventCodec.decode(new byte[0])).hasMessage("empty record");
    }

    @Test
    void upcastsSchemaOneJoinWithTheDefaultsOfItsTime() throws Exception {
        String v1 = "{\"schema\":1,\"type\":\"member-joined\",\"id\":\"e1\",\"pool\":\"web\",\"member\":\"s1\","
                + "\"incarnation\":7,\"at\":\"2026-11-27T10:15:30.123Z\",\"source\":\"agent\","
                + "\"address\":\"127.0.0.1\",\"port\":8081}";
        assertThat(EventCodec.decode(v1.getBytes(StandardCharsets.UTF_8))).isEqualTo(
                new MemberJoined("e1", "web", "s1", 7, AT, "agent", "127.0.0.1", 8081, 100, Map.of()));
    }

    @Test
    void schemaTwoJoinMustSayItsWeightAndTags() {
        String v2 = "{\"schema\":2,\"type\":\"member-joined\",\"id\":\"e1\",\"pool\":\"web\",\"member\":\"s1\","
                + "\"incarnation\":7,\"at\":\"2026-11-27T10:15:30.123Z\",\"source\":\"agent\","
                + "\"address\":\"127.0.0.1\",\"port\":8081,\"tags\":{}}";
        assertThatThrownBy(() -> EventCodec.decode(v2.getBytes(StandardCharsets.UTF_8)))
                .hasMessage("missing field weight");
    }
}
