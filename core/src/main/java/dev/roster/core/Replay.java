package dev.roster.core;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds a sequence of events of any number of pools, in log order, the way the history-api does:
 * an event id seen before is ignored, everything else goes through {@link Fold#apply}. Used to
 * rebuild state from the log and by tests.
 */
public final class Replay {
    private final Map<String, MemberSet> pools = new TreeMap<>();
    private final Set<String> seenIds = new HashSet<>();

    /** Folds one event; returns true when it changed its pool's member set. */
    public boolean apply(MemberEvent event) {
        // Ids are unique per pool; the key joins two validated names, which never contain '/'.
        if (!seenIds.add(event.pool() + "/" + event.id())) {
            return false;
        }
        MemberSet before = pools.getOrDefault(event.pool(), MemberSet.empty(event.pool()));
        MemberSet after = Fold.apply(before, event);
        pools.put(event.pool(), after);
        return after.version() != before.version();
    }

    public Optional<MemberSet> pool(String pool) {
        return Optional.ofNullable(pools.get(pool));
    }

    /** Every pool seen so far, by name. */
    public Map<String, MemberSet> pools() {
        return Map.copyOf(pools);
    }
}
