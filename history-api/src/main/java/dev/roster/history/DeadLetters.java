package dev.roster.history;

import dev.roster.core.DeadLetter;
import dev.roster.core.Topics;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.time.Instant;

/** Sends a refused input record to {@code roster.dead-letters}, raw bytes, reason and origin. */
final class DeadLetters {
    private DeadLetters() {
    }

    static void send(ProcessorContext<String, byte[]> context, Record<String, byte[]> record, String reason,
                     FoldMetrics metrics) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        DeadLetter letter = new DeadLetter(reason, source.topic(), source.partition(), source.offset(), record.key(),
                record.value(), Instant.ofEpochMilli(record.timestamp()));
        byte[] value = Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), letter);
        context.forward(new Record<>(record.key(), value, record.timestamp()), HistoryTopology.DEAD_LETTER_SINK);
        metrics.deadLetter();
    }
}
