package dev.roster.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * {@link Instant#parse}, with a short way for the form Roster writes ({@code 2026-01-01T00:00:00.010Z}):
 * every event carries an instant, and the formatter behind {@code Instant.parse} costs more than the rest
 * of the event's checks together. Only text of exactly that form, with every field in its ordinary range,
 * takes the short way; anything else (lower case, offsets, hour 24, leap seconds, bad dates, other years)
 * goes to {@code Instant.parse}, so what is accepted, its value and every error stay those of
 * {@code Instant.parse}.
 */
final class InstantParser {
    /** {@code yyyy-MM-ddTHH:mm:ss}: where the optional fraction or the closing {@code Z} starts. */
    private static final int SECONDS_END = 19;
    private static final int MAX_FRACTION_DIGITS = 9;

    private InstantParser() {
    }

    static Instant parse(String text) throws DateTimeParseException {
        Instant instant = parseCanonical(text);
        return instant != null ? instant : Instant.parse(text);
    }

    /** The instant, or null when the text is not of the canonical form with ordinary field values. */
    static Instant parseCanonical(String text) {
        int length = text.length();
        if (length < SECONDS_END + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
                || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > SECONDS_END + 1) {
            int fractionDigits = length - SECONDS_END - 2;
            if (text.charAt(SECONDS_END) != '.' || fractionDigits < 1 || fractionDigits > MAX_FRACTION_DIGITS) {
                return null;
            }
            int fraction = digits(text, SECONDS_END + 1, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = fractionDigits; i < MAX_FRACTION_DIGITS; i++) {
                nanos *= 10;
            }
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The number written with {@code count} ASCII digits at {@code start}, or -1 if any is not one. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
