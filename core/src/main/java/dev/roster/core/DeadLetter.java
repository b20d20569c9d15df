package dev.roster.core;

import java.time.Instant;

/**
 * A record Roster refused, as written to {@code roster.dead-letters}: the raw bytes (Base64 on the
 * wire), why it was refused, and where it came from.
 */
public record DeadLetter(String reason, String topic, int partition, long offset, String key, byte[] value,
                         Instant at) {
    public DeadLetter {
        value = value == null ? new byte[0] : value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }
}
