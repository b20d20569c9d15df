package dev.roster.history;

import java.util.List;

/**
 * One page of a longer answer.
 *
 * @param next the cursor that fetches the following page, or null when there is nothing after this one
 */
public record Page<T>(List<T> items, String next) {
    public Page {
        items = List.copyOf(items);
    }
}
