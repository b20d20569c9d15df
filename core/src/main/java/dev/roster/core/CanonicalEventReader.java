package dev.roster.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The short way of {@link EventCodec#decode} for an event as Roster writes it: one JSON object of the
 * current schema, holding each known field at most once with a value of the type it must have, and
 * nothing else. It is read with a streaming parser straight into the event, without the tree the strict
 * reader builds and searches, which is most of the cost of reading a log.
 *
 * <p>For anything else (an older schema, an unknown, repeated or null field, a wrong type, a value the
 * event refuses, malformed JSON) it answers null and the strict reader decides, exactly as before, with
 * its reason. So it only ever accepts what the strict reader accepts, and gives the same event.
 */
final class CanonicalEventReader {
    /**
     * Roster's parser settings, less the set of names per object that strict duplicate detection keeps:
     * a repeated field or tag is found below, and is left to the strict reader to refuse.
     */
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory().copy()
            .disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The fields read so far; null for one not seen yet. */
    private static final class Values {
        Long schema;
        String type;
        String id;
        String pool;
        String member;
        Long incarnation;
        String at;
        String source;
        String address;
        Long port;
        Long weight;
        Map<String, String> tags;
        String reason;
    }

    private CanonicalEventReader() {
    }

    /** The event, or null when the record is not an event as Roster writes it. */
    static MemberEvent read(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        Values values = new Values();
        try (JsonParser parser = FACTORY.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                if (!readField(parser, name, values)) {
                    return null;
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return event(values);
    }

    /** Reads the value of field {@code name}; false when the field is unknown, repeated or of another type. */
    private static boolean readField(JsonParser parser, String name, Values v) throws IOException {
        JsonToken token = parser.nextToken();
        // Each case: not seen before, and then read with the type it must have (null if it has another).
        return switch (name) {
            case "schema" -> v.schema == null && (v.schema = integer(parser, token)) != null;
            case "type" -> v.type == null && (v.type = text(parser, token)) != null;
            case "id" -> v.id == null && (v.id = text(parser, token)) != null;
            case "pool" -> v.pool == null && (v.pool = text(parser, token)) != null;
            case "member" -> v.member == null && (v.member = text(parser, token)) != null;
            case "incarnation" -> v.incarnation == null && (v.incarnation = integer(parser, token)) != null;
            case "at" -> v.at == null && (v.at = text(parser, token)) != null;
            case "source" -> v.source == null && (v.source = text(parser, token)) != null;
            case "address" -> v.address == null && (v.address = text(parser, token)) != null;
            case "port" -> v.port == null && (v.port = integer(parser, token)) != null;
            case "weight" -> v.weight == null && (v.weight = integer(parser, token)) != null;
            case "tags" -> v.tags == null && (v.tags = tags(parser, token)) != null;
            case "reason" -> v.reason == null && (v.reason = text(parser, token)) != null;
            default -> false;
        };
    }

    private static String text(JsonParser parser, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? parser.getText() : null;
    }

    /** An integer that fits a long, as the strict reader's check asks. */
    private static Long integer(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return null;
        }
        return parser.getLongValue();
    }

    /** An object of strings, in the order written, each key once. */
    private static Map<String, String> tags(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            String value = text(parser, parser.nextToken());
            if (value == null || tags.put(key, value) != null) {
                return null;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? tags : null;
    }

    /** The event the strict reader would make of these fields, or null where it would look further. */
    private static MemberEvent event(Values v) {
        if (v.schema == null || v.schema != MemberEvent.SCHEMA || v.type == null || v.id == null || v.pool == null
                || v.member == null || v.incarnation == null || v.incarnation < 0 || v.at == null
                || v.source == null) {
            return null;
        }
        try {
            Instant at = InstantParser.parse(v.at);
            return switch (v.type) {
                case MemberJoined.TYPE -> v.address == null || !isInt(v.port) || !isInt(v.weight) || v.tags == null
                        ? null : new MemberJoined(v.id, v.pool, v.member, v.incarnation, at, v.source, v.address,
                        v.port.intValue(), v.weight.intValue(), v.tags);
                case MemberLeft.TYPE -> new MemberLeft(v.id, v.pool, v.member, v.incarnation, at, v.source);
                case MemberFailed.TYPE -> new MemberFailed(v.id, v.pool, v.member, v.incarnation, at, v.source,
                        v.reason == null ? "" : v.reason);
                case MemberRecovered.TYPE -> new MemberRecovered(v.id, v.pool, v.member, v.incarnation, at, v.source);
                case MemberDraining.TYPE -> new MemberDraining(v.id, v.pool, v.member, v.incarnation, at, v.source);
                case MemberUpdated.TYPE -> v.port != null && !isInt(v.port) || v.weight != null && !isInt(v.weight)
                        ? null : new MemberUpdated(v.id, v.pool, v.member, v.incarnation, at, v.source, v.address,
                        v.port == null ? null : v.port.intValue(), v.weight == null ? null : v.weight.intValue(),
                        v.tags);
                default -> null;
            };
        } catch (DateTimeException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isInt(Long value) {
        return value != null && value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }
}
