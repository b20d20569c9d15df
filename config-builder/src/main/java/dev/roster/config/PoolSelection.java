package dev.roster.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The pools one config builder serves: names and globs, separated by commas ({@code web,api-*}); {@code *}
 * matches any run of characters, {@code ?} one. At scale one HAProxy does not serve every pool: each builder
 * then follows only its pools in {@code roster.snapshots}, and its configs, versions and rebuilds cover
 * exactly those. Recorded in every manifest with the render parameters, as the text it was given (without
 * spaces). The patterns are split once: {@link #matches} runs for every snapshot record the builder reads.
 */
public final class PoolSelection {
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9*?][A-Za-z0-9._*?-]*");

    /** Every pool. */
    public static final PoolSelection ALL = new PoolSelection("*");

    private final String text;
    private final List<String> patterns;

    private PoolSelection(String given) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("pools must name at least one pool or glob (use * for every pool)");
        }
        List<String> parts = new ArrayList<>();
        for (String part : given.split(",", -1)) {
            String pattern = part.strip();
            if (!PATTERN.matcher(pattern).matches()) {
                throw new IllegalArgumentException("pools must be pool names or globs (letters, digits, '.', '_', '-',"
                        + " '*' and '?') separated by commas, was '" + given + "'");
            }
            parts.add(pattern);
        }
        this.patterns = List.copyOf(parts);
        this.text = String.join(",", parts);
    }

    /** Parses a selection as given to {@code --pools}; null or absent (an older manifest) means every pool. */
    @JsonCreator
    public static PoolSelection of(String text) {
        return text == null ? ALL : new PoolSelection(text);
    }

    /** The selection as text, as {@code --pools} takes it and manifests record it. */
    @JsonValue
    public String text() {
        return text;
    }

    /** Whether {@code pool} is one of the pools selected. */
    public boolean matches(String pool) {
        for (String pattern : patterns) {
            if (glob(pattern, 0, pool, 0)) {
                return true;
            }
        }
        return false;
    }

    /** Whether it selects every pool there can be. */
    public boolean isAll() {
        return patterns.contains("*");
    }

    /** Glob matching by backtracking; patterns and names are short. */
    private static boolean glob(String pattern, int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int rest = n; rest <= name.length(); rest++) {
                    if (glob(pattern, p + 1, name, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (n == name.length() || (c != '?' && c != name.charAt(n))) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PoolSelection selection && selection.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
