package dev.roster.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>}. Both sides are hashed before the comparison, so that it
 * takes the same time whatever the sent token is, its length included.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = sha256(token);
    }

    boolean accepts(String authorization) {
        String sent = authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? authorization.substring(PREFIX.length()).trim() : "";
        // Always compare, even with nothing sent, so that a missing header costs the same as a wrong one.
        return MessageDigest.isEqual(expected, sha256(sent)) && !sent.isEmpty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
