package dev.roster.config;

import java.io.IOException;
import java.util.Map;

/** Where a rebuild reads {@code roster.events} from: Kafka ({@link EventLogReader}), or a list in tests. */
public interface EventSource {
    /** Receives records in log order within each partition. */
    @FunctionalInterface
    interface RecordHandler {
        void accept(int partition, long offset, String key, byte[] value);
    }

    /** Each partition of {@code roster.events} and the offset after its last committed record. */
    Map<Integer, Long> endOffsets() throws IOException;

    /**
     * Reads each partition in {@code until} from its first record up to, not including, the given offset.
     */
    void read(Map<Integer, Long> until, RecordHandler handler) throws IOException;
}
