package dev.roster.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.DeadLetter;
import dev.roster.core.Json;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What was refused and why, from the global {@link Stores#DEAD_LETTERS} store, oldest first. */
public final class DeadLetterQueries {
    private static final Pattern POSITION = Pattern.compile("\\d{19}/\\d{10}/\\d{19}");

    private final StoreSource stores;

    public DeadLetterQueries(StoreSource stores) {
        this.stores = stores;
    }

    /**
     * Dead letters refused in [{@code from}, {@code to}], a page at a time. Each carries the raw bytes
     * (Base64, {@code value}) and, when they are UTF-8 text, the same as {@code text}.
     */
    public Page<ObjectNode> page(Instant from, Instant to, int limit, String cursor) {
        String lower = cursor != null ? Stores.after(Cursor.decode(cursor, POSITION))
                : from == null ? "" : Stores.timeKey(from);
        String upper = (to == null ? Stores.MAX_NUMBER : Stores.timeKey(to)) + "/~";
        ReadOnlyKeyValueStore<String, byte[]> store = stores.store(Stores.DEAD_LETTERS);
        List<ObjectNode> letters = new ArrayList<>();
        String last = null;
        try (KeyValueIterator<String, byte[]> it = store.range(lower, upper)) {
            while (it.hasNext() && letters.size() < limit) {
                KeyValue<String, byte[]> entry = it.next();
                last = entry.key;
                letters.add(json(entry.value));
            }
            return new Page<>(letters, it.hasNext() && last != null ? Cursor.encode(last) : null);
        }
    }

    private static ObjectNode json(byte[] bytes) {
        try {
            DeadLetter letter = Json.MAPPER.readValue(bytes, DeadLetter.class);
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("at", letter.at() == null ? null : letter.at().toString());
            node.put("reason", letter.reason());
            node.put("topic", letter.topic());
            node.put("partition", letter.partition());
            node.put("offset", letter.offset());
            node.put("key", letter.key());
            node.put("value", letter.value());
            node.put("text", text(letter.value()));
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("dead-letters store holds an unreadable entry", e);
        }
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    private static String text(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
