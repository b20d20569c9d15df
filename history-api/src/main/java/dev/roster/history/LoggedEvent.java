package dev.roster.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.EventCodec;
import dev.roster.core.InvalidEventException;
import dev.roster.core.Json;
import dev.roster.core.MemberEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An event as history keeps it: where it sits in {@code roster.events}, whether it changed the member
 * set ({@code applied}; a stale or repeated event is kept but not applied) and the pool version after it.
 */
public record LoggedEvent(int partition, long offset, boolean applied, long poolVersion, MemberEvent event) {
    /** The first byte of a stored entry: the format below. */
    private static final byte FORMAT = 1;
    /** Format, partition, offset, applied, pool version. */
    private static final int HEADER_BYTES = 1 + Integer.BYTES + Long.BYTES + 1 + Long.BYTES;

    /**
     * The store entry of an event: a small binary header, then the record's value exactly as it was read
     * from {@code roster.events}. Keeping the bytes the log holds costs no encoding on the fold's path; they
     * are decoded, with the same decoder that admitted them, only when a query reads them.
     */
    static byte[] encode(int partition, long offset, boolean applied, long poolVersion, byte[] eventBytes) {
        return ByteBuffer.allocate(HEADER_BYTES + eventBytes.length).put(FORMAT).putInt(partition).putLong(offset)
                .put((byte) (applied ? 1 : 0)).putLong(poolVersion).put(eventBytes).array();
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
        checkFormat(bytes);
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(bytes, HEADER_BYTES,
                bytes.length - HEADER_BYTES)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
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
        checkFormat(bytes);
        ByteBuffer header = ByteBuffer.wrap(bytes, 1, HEADER_BYTES - 1);
        int partition = header.getInt();
        long offset = header.getLong();
        boolean applied = header.get() != 0;
        long poolVersion = header.getLong();
        try {
            MemberEvent event = EventCodec.decode(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
            return new LoggedEvent(partition, offset, applied, poolVersion, event);
        } catch (InvalidEventException e) {
            throw new IllegalStateException("history store holds an unreadable entry", e);
        }
    }

    private static void checkFormat(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || bytes[0] != FORMAT) {
            throw new IllegalStateException("history store holds an entry of another format (stores of an older "
                    + "release? see docs/architecture.md on upgrading)");
        }
    }
}
