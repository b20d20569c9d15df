package dev.roster.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds a sequence of events of any number of pools, in log order, the way the history-api does:
 * an event id seen before is ignored, everything else goes through {@link Fold#apply}. Used to
 * rebuild state from the log and by tests.
 */
public final class Replay {
    /** One pool's member set so far and the ids of its events seen so far (ids are unique per pool). */
    private static final class Pool {
        MemberSet set;
        final Set<String> seenIds = new HashSet<>();

        Pool(String name) {
            set = MemberSet.empty(name);
        }
    }

    private final Map<String, Pool> pools = new HashMap<>();

    /** Folds one event; returns true when it changed its pool's member set. */
    public boolean apply(MemberEvent event) {
        Pool pool = pools.computeIfAbsent(event.pool(), Pool::new);
        if (!pool.seenIds.add(event.id())) {
            return false;
        }
        MemberSet before = pool.set;
        pool.set = Fold.apply(before, event);
        return pool.set.version() != before.version();
    }

    public Optional<MemberSet> pool(String pool) {
        return Optional.ofNullable(pools.get(pool)).map(p -> p.set);
    }

    /** Every pool seen so far, by name. */
    public Map<String, MemberSet> pools() {
        Map<String, MemberSet> sets = new HashMap<>();
        pools.forEach((name, pool) -> sets.put(name, pool.set));
        return Map.copyOf(sets);
    }
}
