package dev.roster.config;

import dev.roster.core.EventCodec;
import dev.roster.core.MemberEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code roster.events} in memory: records appended per partition, read like Kafka gives them. */
final class FakeEventLog implements EventSource {
    record Entry(String key, byte[] value) {
    }

    private final Map<Integer, List<Entry>> partitions = new TreeMap<>();
    int reads;

    FakeEventLog(int partitionCount) {
        for (int p = 0; p < partitionCount; p++) {
            partitions.put(p, new ArrayList<>());
        }
    }

    /** Appends an event keyed by its pool; returns its offset. */
    long append(int partition, MemberEvent event) {
        return append(partition, event.pool(), EventCodec.encode(event));
    }

    long append(int partition, String key, String rawValue) {
        return append(partition, key, rawValue.getBytes(StandardCharsets.UTF_8));
    }

    long append(int partition, String key, byte[] value) {
        List<Entry> log = partitions.get(partition);
        log.add(new Entry(key, value));
        return log.size() - 1;
    }

    @Override
    public Map<Integer, Long> endOffsets() {
        Map<Integer, Long> ends = new TreeMap<>();
        partitions.forEach((p, log) -> ends.put(p, (long) log.size()));
        return ends;
    }

    @Override
    public void read(Map<Integer, Long> until, RecordHandler handler) {
        reads++;
        until.forEach((partition, end) -> {
            List<Entry> log = partitions.get(partition);
            for (int offset = 0; offset < end; offset++) {
                handler.accept(partition, offset, log.get(offset).key(), log.get(offset).value());
            }
        });
    }
}
