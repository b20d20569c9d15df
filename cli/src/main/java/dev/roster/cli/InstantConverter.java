package dev.roster.cli;

import picocli.CommandLine;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads an ISO-8601 instant such as {@code 2026-03-01T10:15:00Z}, with a message that shows one. */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not an ISO-8601 instant such as 2026-03-01T10:15:00Z");
        }
    }
}
