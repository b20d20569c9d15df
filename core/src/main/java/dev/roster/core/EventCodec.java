package dev.roster.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes membership events as JSON. Reading is strict: anything that is not a complete,
 * valid event of a known type and schema is refused with an {@link InvalidEventException} whose
 * message is the reason a dead letter records.
 */
public final class EventCodec {
    private EventCodec() {
    }

    public static byte[] encode(MemberEvent event) {
        try {
            return Json.MAPPER.writeValueAsBytes(toJson(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event " + event.id(), e);
        }
    }

    /** The event as the JSON object {@link #encode} writes. */
    public static ObjectNode toJson(MemberEvent event) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("schema", MemberEvent.SCHEMA);
        node.put("type", event.type());
        node.put("id", event.id());
        node.put("pool", event.pool());
        node.put("member", event.member());
        node.put("incarnation", event.incarnation());
        node.put("at", event.at().toString());
        node.put("source", event.source());
        if (event instanceof MemberJoined joined) {
            node.put("address", joined.address());
            node.put("port", joined.port());
            node.put("weight", joined.weight());
            ObjectNode tags = node.putObject("tags");
            new java.util.TreeMap<>(joined.tags()).forEach(tags::put);
        } else if (event instanceof MemberFailed failed) {
            node.put("reason", failed.reason());
        } else if (event instanceof MemberUpdated updated) {
            if (updated.address() != null) {
                node.put("address", updated.address());
            }
            if (updated.port() != null) {
                node.put("port", updated.port());
            }
            if (updated.weight() != null) {
                node.put("weight", updated.weight());
            }
            if (updated.tags() != null) {
                ObjectNode tags = node.putObject("tags");
                new java.util.TreeMap<>(updated.tags()).forEach(tags::put);
            }
        }
        return node;
    }

    public static MemberEvent decode(byte[] bytes) throws InvalidEventException {
        // Nearly every record is an event as Roster writes it, which the short way reads at a fraction of
        // the cost; whatever it declines is read strictly, and refused with the reason, as always.
        MemberEvent event = CanonicalEventReader.read(bytes);
        return event != null ? event : decodeStrictly(bytes);
    }

    /** The reference reader: a tree, upcast, then each field checked in turn; every refusal's reason is its. */
    static MemberEvent decodeStrictly(byte[] bytes) throws InvalidEventException {
        JsonNode node = object(bytes, "event");
        int schema = (int) integer(node, "schema", 1, Integer.MAX_VALUE);
        if (schema > MemberEvent.SCHEMA) {
            // A newer writer: guessing what its fields mean could put wrong servers live; refuse it loudly.
            throw new InvalidEventException("unsupported schema " + schema + " (this reader knows 1-"
                    + MemberEvent.SCHEMA + ")");
        }
        Upcasters.upcast((ObjectNode) node, schema);
        String type = text(node, "type");
        try {
            String id = text(node, "id");
            String pool = text(node, "pool");
            String member = text(node, "member");
            long incarnation = integer(node, "incarnation", 0, Long.MAX_VALUE);
            Instant at = instant(node, "at");
            String source = text(node, "source");
            return switch (type) {
                case MemberJoined.TYPE -> new MemberJoined(id, pool, member, incarnation, at, source,
                        text(node, "address"), (int) integer(node, "port", Integer.MIN_VALUE, Integer.MAX_VALUE),
                        (int) integer(node, "weight", Integer.MIN_VALUE, Integer.MAX_VALUE), requiredTags(node));
                case MemberLeft.TYPE -> new MemberLeft(id, pool, member, incarnation, at, source);
                case MemberFailed.TYPE -> new MemberFailed(id, pool, member, incarnation, at, source,
                        node.has("reason") ? text(node, "reason") : "");
                case MemberRecovered.TYPE -> new MemberRecovered(id, pool, member, incarnation, at, source);
                case MemberDraining.TYPE -> new MemberDraining(id, pool, member, incarnation, at, source);
                case MemberUpdated.TYPE -> new MemberUpdated(id, pool, member, incarnation, at, source,
                        node.has("address") ? text(node, "address") : null,
                        node.has("port") ? (int) integer(node, "port", Integer.MIN_VALUE, Integer.MAX_VALUE) : null,
                        node.has("weight") ? (int) integer(node, "weight", Integer.MIN_VALUE, Integer.MAX_VALUE) : null,
                        node.has("tags") ? tags(node) : null);
                default -> throw new InvalidEventException("unknown type " + Fields.quote(type));
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("invalid " + type + ": " + e.getMessage());
        }
    }

    public static byte[] encodeHeartbeat(Heartbeat beat) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("pool", beat.pool());
        node.put("member", beat.member());
        node.put("incarnation", beat.incarnation());
        node.put("at", beat.at().toString());
        return node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads a heartbeat as strictly as an event; the exception's message is the dead-letter reason. */
    public static Heartbeat decodeHeartbeat(byte[] bytes) throws InvalidEventException {
        JsonNode node = object(bytes, "heartbeat");
        try {
            return new Heartbeat(text(node, "pool"), text(node, "member"), integer(node, "incarnation", 0, Long.MAX_VALUE),
                    instant(node, "at"));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException("invalid heartbeat: " + e.getMessage());
        }
    }

    private static JsonNode object(byte[] bytes, String what) throws InvalidEventException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException("empty record");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidEventException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(what + " must be a JSON object");
        }
        return node;
    }

    private static String text(JsonNode node, String field) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException("missing field " + field);
        }
        if (!value.isTextual()) {
            throw new InvalidEventException("field " + field + " must be a string");
        }
        return value.textValue();
    }

    private static long integer(JsonNode node, String field, long min, long max) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException("missing field " + field);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidEventException("field " + field + " must be an integer");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw new InvalidEventException("field " + field + " is out of range: " + number);
        }
        return number;
    }

    private static Instant instant(JsonNode node, String field) throws InvalidEventException {
        String text = text(node, field);
        try {
            return InstantParser.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("field " + field + " must be an ISO-8601 instant, was " + Fields.quote(text));
        }
    }

    private static Map<String, String> tags(JsonNode node) throws InvalidEventException {
        JsonNode value = node.get("tags");
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InvalidEventException("field tags must be an object");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        var fields = value.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().isTextual()) {
                throw new InvalidEventException("tag " + Fields.quote(entry.getKey()) + " must be a string");
            }
            tags.put(entry.getKey(), entry.getValue().textValue());
        }
        return tags;
    }

    private static Map<String, String> requiredTags(JsonNode node) throws InvalidEventException {
        if (!node.has("tags")) {
            throw new InvalidEventException("missing field tags");
        }
        return tags(node);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return Fields.quote(newline < 0 ? message : message.substring(0, newline)).replaceAll("^\"|\"$", "");
    }
}
