package dev.roster.history;

import dev.roster.core.DeadLetter;
import dev.roster.core.Json;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;

/**
 * Keeps every record of {@code roster.dead-letters} in the global {@link Stores#DEAD_LETTERS} store, in
 * time order, so that every instance answers "what was refused and why" on its own.
 */
final class DeadLetterProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessor.class);

    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        store = context.getStateStore(Stores.DEAD_LETTERS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        DeadLetter letter;
        try {
            letter = Json.MAPPER.readValue(record.value(), DeadLetter.class);
        } catch (IOException e) {
            LOG.warn("skipping an unreadable record of roster.dead-letters (key {}): {}", record.key(), e.toString());
            return;
        }
        RecordMetadata where = context.recordMetadata().orElseThrow();
        Instant at = letter.at() != null ? letter.at() : Instant.ofEpochMilli(record.timestamp());
        store.put(Stores.deadLetterKey(at, where.partition(), where.offset()), record.value());
    }
}
