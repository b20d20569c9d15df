package dev.roster.core;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation of every field that can reach {@code haproxy.cfg}. Each check throws
 * {@link IllegalArgumentException} with a message that names the field and shows the bad value
 * escaped, so that a log line or a dead letter reason can never itself carry a newline.
 */
public final class Fields {
    /** Longest pool, member, tag or source name accepted. HAProxy's own limit for names is far higher. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest RFC 1123 host name. */
    public static final int MAX_HOST_LENGTH = 253;
    /** Longest event id. */
    public static final int MAX_ID_LENGTH = 128;

    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    private Fields() {
    }

    /** A pool, member or tag name: {@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most {@value #MAX_NAME_LENGTH} characters. */
    public static String name(String field, String value) {
        requirePresent(field, value);
        if (value.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + value.length());
        }
        if (!isName(value)) {
            throw new IllegalArgumentException(field + " must match [A-Za-z0-9][A-Za-z0-9._-]*, was " + quote(value));
        }
        return value;
    }

    /** An event id: same characters as a name (UUIDs qualify), at most {@value #MAX_ID_LENGTH} characters. */
    public static String id(String field, String value) {
        requirePresent(field, value);
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_ID_LENGTH
                    + " characters, was " + value.length());
        }
        if (!isName(value)) {
            throw new IllegalArgumentException(field + " must match [A-Za-z0-9][A-Za-z0-9._-]*, was " + quote(value));
        }
        return value;
    }

    /**
     * A free-form label such as an event's source: printable ASCII without quotes or backslash,
     * at most {@value #MAX_HOST_LENGTH} characters. Never rendered into a config.
     */
    public static String label(String field, String value) {
        requirePresent(field, value);
        if (value.length() > MAX_HOST_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_HOST_LENGTH
                    + " characters, was " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\' || c == '\'') {
                throw new IllegalArgumentException(field + " must be printable ASCII without spaces, quotes or backslash, was "
                        + quote(value));
            }
        }
        return value;
    }

    /** An IPv4 or IPv6 literal, or an RFC 1123 host name. */
    public static String address(String field, String value) {
        requirePresent(field, value);
        if (value.length() > MAX_HOST_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_HOST_LENGTH
                    + " characters, was " + value.length());
        }
        if (isIpv4(value) || isIpv6(value) || isHostName(value)) {
            return value;
        }
        throw new IllegalArgumentException(field + " must be an IP literal or an RFC 1123 host name, was " + quote(value));
    }

    public static int port(String field, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(field + " must be 1-65535, was " + value);
        }
        return value;
    }

    public static int weight(String field, int value) {
        if (value < 0 || value > 256) {
            throw new IllegalArgumentException(field + " must be 0-256, was " + value);
        }
        return value;
    }

    public static long incarnation(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be 0 or more, was " + value);
        }
        return value;
    }

    /** Tags: names for keys, labels for values, at most 32 entries; returns an immutable copy. */
    public static Map<String, String> tags(String field, Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > 32) {
            throw new IllegalArgumentException(field + " must hold at most 32 entries, had " + tags.size());
        }
        tags.forEach((k, v) -> {
            name(field + " key", k);
            label(field + "." + k, v);
        });
        return Map.copyOf(tags);
    }

    /** Shows a value in messages with control and non-ASCII characters escaped, cut to 80 characters. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    private static void requirePresent(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    /**
     * Whether {@code value} matches {@code [A-Za-z0-9][A-Za-z0-9._-]*}. Checked with a loop rather than a
     * regex: it runs for the id, pool and member of every event read, and a matcher costs more than the check.
     */
    static boolean isName(String value) {
        if (value.isEmpty() || !isAsciiLetterOrDigit(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isAsciiDigit(c);
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Whether {@code value} is a dotted quad of four decimal numbers 0-255, none with a leading zero.
     * Checked with a loop for the same reason as {@link #isName}.
     */
    static boolean isIpv4(String value) {
        int i = 0;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= value.length() || value.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
            int start = i;
            int number = 0;
            while (i < value.length() && i - start < 3 && isAsciiDigit(value.charAt(i))) {
                number = number * 10 + (value.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 1 && value.charAt(start) == '0' || number > 255) {
                return false;
            }
        }
        return i == value.length();
    }

    private static boolean isIpv6(String value) {
        if (!value.contains(":") || !IPV6.matcher(value).matches()) {
            return false;
        }
        try {
            // Only literal parsing happens here: the pattern above rules out anything that would resolve.
            return java.net.InetAddress.getByName(value) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean isHostName(String value) {
        String host = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        if (host.isEmpty()) {
            return false;
        }
        for (String label : host.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // An all-numeric dotted name would be read as a (bad) IPv4 address by HAProxy.
        return !DIGITS_AND_DOTS.matcher(host).matches();
    }
}
