package dev.roster.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Instants on the command line: ISO-8601 ({@code 2026-11-27T10:00:00Z}) or a duration ago ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}). */
final class TimeArgs {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private TimeArgs() {
    }

    /** @return null for null */
    static Instant instant(String option, String value, Clock clock) {
        if (value == null) {
            return null;
        }
        Matcher ago = AGO.matcher(value);
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration duration = switch (ago.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(duration);
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z or"
                    + " a time ago such as 90s, 15m, 1h or 2d, was \"" + value + "\"");
        }
    }
}
