package dev.roster.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short way must read every event Roster writes, and for any record at all must either decline or give
 * exactly the event the strict reader gives; {@link EventCodec#decode} must then answer as the strict reader.
 */
class CanonicalEventReaderTest {
    private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");

    private static final List<MemberEvent> WRITTEN = List.of(
            new MemberJoined("e1", "web", "s1", 7, AT, "agent@host", "127.0.0.1", 8081, 100, Map.of()),
            new MemberJoined("e2", "web", "s1", 0, AT, "agent", "fe80::1", 1, 256, Map.of("zone", "a", "rack", "r1")),
            new MemberLeft("e3", "web", "s1", 7, AT, "agent"),
            new MemberFailed("e4", "web", "s1", 7, AT, "detector", "no heartbeat for 2000 ms"),
            new MemberFailed("e5", "web", "s1", 7, AT, "detector", ""),
            new MemberRecovered("e6", "web", "s1", 7, AT, "detector"),
            new MemberDraining("e7", "web", "s1", 7, Instant.parse("2026-11-27T10:15:30Z"), "agent"),
            new MemberUpdated("e8", "web", "s1", 7, AT, "agent", null, null, 5, null),
            new MemberUpdated("e9", "web", "s1", 7, AT, "agent", "web-1.example.com", 9000, null, Map.of("zone", "b")),
            new MemberUpdated("e10", "web", "s1", Long.MAX_VALUE, AT, "agent", null, null, null, Map.of()));

    /** What a reader made of a record: the event, or the reason it was refused. */
    private static Object outcome(byte[] bytes, boolean strictly) {
        try {
            return strictly ? EventCodec.decodeStrictly(bytes) : EventCodec.decode(bytes);
        } catch (InvalidEventException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static void assertAgreesWithTheStrictReader(byte[] bytes) {
        String record = new String(bytes, StandardCharsets.UTF_8);
        Object strict = outcome(bytes, true);
        MemberEvent shortWay = CanonicalEventReader.read(bytes);
        if (shortWay != null) {
            assertThat(shortWay).as("read the short way: %s", record).isEqualTo(strict);
        }
        assertThat(outcome(bytes, false)).as("decode: %s", record).isEqualTo(strict);
    }

    @Test
    void readsEveryEventRosterWritesTheShortWay() {
        for (MemberEvent event : WRITTEN) {
            assertThat(CanonicalEventReader.read(EventCodec.encode(event))).isEqualTo(event);
        }
    }

    /** Records the short way declines; each but the first two is a valid member-left with one thing changed. */
    static Stream<String> declined() {
        String left = "{\"schema\":2,\"type\":\"member-left\",\"id\":\"e\",\"pool\":\"web\",\"member\":\"s1\","
                + "\"incarnation\":1,\"at\":\"2026-11-27T10:15:30Z\",\"source\":\"x\"";
        return Stream.of(
                // an older schema, upcast by the strict reader only; another root
                "{\"schema\":1,\"type\":\"member-joined\",\"id\":\"e1\",\"pool\":\"web\",\"member\":\"s1\","
                        + "\"incarnation\":7,\"at\":\"2026-11-27T10:15:30.123Z\",\"source\":\"agent\","
                        + "\"address\":\"127.0.0.1\",\"port\":8081}",
                "[1,2]",
                // an unknown field, a repeated field, a repeated tag, a null, a fraction, a number beyond a long
                left + ",\"note\":1}",
                left + ",\"id\":\"f\"}",
                left.replace("member-left", "member-updated") + ",\"tags\":{\"a\":\"1\",\"a\":\"2\"}}",
                left.replace("member-left", "member-failed") + ",\"reason\":null}",
                left.replace("\"incarnation\":1", "\"incarnation\":1.0") + "}",
                left.replace("\"incarnation\":1", "\"incarnation\":99999999999999999999") + "}",
                // content after the object, a value the event refuses, an unknown type
                left + "} {}",
                left.replace("s1", "s 1") + "}",
                left.replace("member-left", "member-exploded") + "}");
    }

    @ParameterizedTest
    @MethodSource("declined")
    void leavesEverythingElseToTheStrictReader(String record) {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        assertThat(CanonicalEventReader.read(bytes)).isNull();
        assertAgreesWithTheStrictReader(bytes);
    }

    @Test
    void agreesWithTheStrictReaderOnRandomlyAlteredEvents() throws Exception {
        Random random = new Random(5);
        String[] fields = {"schema", "type", "id", "pool", "member", "incarnation", "at", "source", "address", "port",
                "weight", "tags", "reason", "other"};
        for (int i = 0; i < 20_000; i++) {
            MemberEvent written = WRITTEN.get(random.nextInt(WRITTEN.size()));
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(EventCodec.encode(written));
            // Up to three fields removed or given a value of any kind, written as they are or with a change.
            for (int changes = random.nextInt(4); changes > 0; changes--) {
                String field = fields[random.nextInt(fields.length)];
                if (random.nextInt(3) == 0) {
                    node.remove(field);
                } else {
                    node.set(field, anyValue(random));
                }
            }
            String json = Json.MAPPER.writeValueAsString(node);
            byte[] bytes = switch (random.nextInt(6)) {
                case 0 -> mangled(json, random).getBytes(StandardCharsets.UTF_8);
                case 1 -> json.replaceFirst("\\{", "{\"id\":\"dup\",").getBytes(StandardCharsets.UTF_8);
                default -> json.getBytes(StandardCharsets.UTF_8);
            };
            assertAgreesWithTheStrictReader(bytes);
        }
    }

    /** A value of a random kind, often one a field of an event could hold, often one it could not. */
    private static JsonNode anyValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(16)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(true);
            case 2 -> f.numberNode(random.nextInt(5) - 1);
            case 3 -> f.numberNode(1L << 40);
            case 4 -> f.numberNode(new BigInteger("123456789012345678901234567890"));
            case 5 -> f.numberNode(2.5);
            case 6 -> f.numberNode(random.nextInt(70_000));
            case 7 -> f.textNode("2026-11-27T10:15:30Z");
            case 8 -> f.textNode(List.of("member-joined", "member-left", "member-updated", "member-failed",
                    "member-draining", "member-recovered", "member-lost").get(random.nextInt(7)));
            case 9 -> f.textNode("s" + random.nextInt(3));
            case 10 -> f.textNode("bad value");
            case 11 -> f.textNode("10.0.0." + random.nextInt(300));
            case 12 -> f.objectNode().put("zone", "a");
            case 13 -> f.objectNode().put("zone", 1);
            case 14 -> f.arrayNode().add("x");
            default -> f.objectNode();
        };
    }

    /** The JSON with one stretch of it cut out or one character put in. */
    private static String mangled(String json, Random random) {
        int at = random.nextInt(json.length());
        if (random.nextBoolean()) {
            return json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + random.nextInt(4)));
        }
        String inserts = "{}[]\",: 0a\\\u00e9";
        return json.substring(0, at) + inserts.charAt(random.nextInt(inserts.length())) + json.substring(at);
    }

    @Test
    void decodeStillRefusesWithTheStrictReadersReasons() {
        List<String> records = new ArrayList<>(List.of("", " ", "null", "{", "{} x", "{\"schema\":1,\"schema\":1}",
                "{\"schema\":3,\"type\":\"member-left\"}", "{\"schema\":\"2\"}"));
        for (String record : records) {
            assertAgreesWithTheStrictReader(record.getBytes(StandardCharsets.UTF_8));
        }
    }
}
