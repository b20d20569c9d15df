package dev.roster.history;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Paging cursors: where the previous page stopped, as an opaque URL-safe string. A cursor holds a key
 * of the store being paged, so the next page is one range scan that starts just after it.
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param shape what a position of this kind of page looks like; anything else is refused
     * @throws ApiException 400 naming {@code cursor}
     */
    static String decode(String cursor, Pattern shape) {
        String position;
        try {
            position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!shape.matcher(position).matches()) {
            throw invalid();
        }
        return position;
    }

    private static ApiException invalid() {
        return ApiException.badParameter("cursor", "cursor is not one this API gave out; pass the next value of a"
                + " previous page unchanged");
    }
}
