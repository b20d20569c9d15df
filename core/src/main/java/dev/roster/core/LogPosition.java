package dev.roster.core;

/** A record's place in a topic: partition and offset. */
public record LogPosition(int partition, long offset) {
    public LogPosition {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must be 0 or more, were " + partition + "/" + offset);
        }
    }
}
