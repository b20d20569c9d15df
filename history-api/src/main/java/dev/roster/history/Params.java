package dev.roster.history;

import dev.roster.core.Fields;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads request parameters; anything malformed is a 400 that names the parameter and shows what was sent. */
final class Params {
    /** Event types a {@code type} filter may name. */
    static final List<String> EVENT_TYPES = List.of("member-joined", "member-updated", "member-draining", "member-left",
            "member-failed", "member-recovered");

    private Params() {
    }

    static String name(String value, String parameter) {
        try {
            return Fields.name(parameter, value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(parameter, e.getMessage());
        }
    }

    /** An optional ISO-8601 instant such as {@code 2026-11-27T10:00:00Z}; null when absent. */
    static Instant instant(Context ctx, String parameter) {
        String raw = ctx.queryParam(parameter);
        if (raw == null) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(parameter, parameter + " must be an ISO-8601 instant such as"
                    + " 2026-11-27T10:00:00Z, was " + Fields.quote(raw));
        }
    }

    static int intParam(Context ctx, String parameter, int fallback, int min, int max) {
        String raw = ctx.queryParam(parameter);
        if (raw == null) {
            return fallback;
        }
        return (int) number(raw, parameter, min, max);
    }

    /** An optional whole number in [min, max]; null when absent. */
    static Long longParam(Context ctx, String parameter, long min, long max) {
        String raw = ctx.queryParam(parameter);
        return raw == null ? null : number(raw, parameter, min, max);
    }

    static long pathNumber(Context ctx, String parameter, long min) {
        return number(ctx.pathParam(parameter), parameter, min, Long.MAX_VALUE);
    }

    static String type(Context ctx) {
        String raw = ctx.queryParam("type");
        if (raw == null || EVENT_TYPES.contains(raw)) {
            return raw;
        }
        throw ApiException.badParameter("type", "type must be one of " + String.join(", ", EVENT_TYPES) + ", was "
                + Fields.quote(raw));
    }

    static String optional(Context ctx, String parameter) {
        String raw = ctx.queryParam(parameter);
        return raw == null || raw.isEmpty() ? null : raw;
    }

    /** Refuses from after to, which could only ever give an empty answer by mistake. */
    static void range(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw ApiException.badParameter("from", "from must not be after to, was " + from + " > " + to);
        }
    }

    private static long number(String raw, String parameter, long min, long max) {
        try {
            long value = Long.parseLong(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        String range = max == Long.MAX_VALUE ? min + " or more" : min + "-" + max;
        throw ApiException.badParameter(parameter, parameter + " must be an integer " + range + ", was "
                + Fields.quote(raw));
    }
}
