package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.EventCodec;
import dev.roster.core.InvalidEventException;
import dev.roster.core.Json;
import dev.roster.core.MemberEvent;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An event as history keeps it: where it sits in {@code roster.events}, whether it changed the member
 * set ({@code applied}; a stale or repeated event is kept but not applied) and the pool version after it.
 */
public record LoggedEvent(int partition, long offset, boolean applied, long poolVersion, MemberEvent event) {

    public byte[] toBytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON shape the REST API shows: the event's own fields, then where it sits and what it did. */
    public ObjectNode toJson() {
        ObjectNode node = EventCodec.toJson(event);
        node.put("partition", partition);
        node.put("offset", offset);
        node.put("applied", applied);
        node.put("poolVersion", poolVersion);
        return node;
    }

    /** The event's id, read from the stored bytes without decoding the whole event. */
    static String idOf(byte[] bytes) {
        try (com.fasterxml.jackson.core.JsonParser parser = Json.MAPPER.getFactory().createParser(bytes)) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("id")) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("history store holds an unreadable entry", e);
        }
        throw new IllegalStateException("history store holds an entry without an id");
    }

    public static LoggedEvent fromBytes(byte[] bytes) {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            MemberEvent event = EventCodec.decode(Json.MAPPER.writeValueAsBytes(node));
            return new LoggedEvent(node.get("partition").intValue(), node.get("offset").longValue(),
                    node.get("applied").booleanValue(), node.get("poolVersion").longValue(), event);
        } catch (IOException | InvalidEventException e) {
            throw new IllegalStateException("history store holds an unreadable entry", e);
        }
    }
}
