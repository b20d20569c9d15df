package dev.roster.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Folds a sequence of events of any number of pools, in log order, the way the history-api does: each
 * goes through {@link Admission#admit}, with the same {@link DedupWindow}. Used to rebuild state from the
 * log and by tests. Member sets are persistent maps, so keeping every pool whole costs a path per change.
 */
public final class Replay {
    /** One pool's head, member set, and the ids it remembers, by id and in the order seen. */
    private static final class Pool {
        PoolHead head;
        MemberSet set;
        final Map<String, Long> seenAt = new HashMap<>();
        final ArrayDeque<Map.Entry<String, Long>> seenOrder = new ArrayDeque<>();

        Pool(String name) {
            head = PoolHead.empty(name);
            set = MemberSet.empty(name);
        }
    }

    private final DedupWindow window;
    private final Map<String, Pool> pools = new HashMap<>();

    public Replay(DedupWindow window) {
        this.window = window;
    }

    public Replay() {
        this(DedupWindow.DEFAULT);
    }

    /** Folds one event; returns what became of it. */
    public Admission.Outcome admit(MemberEvent event) {
        Pool pool = pools.computeIfAbsent(event.pool(), Pool::new);
        MemberState before = pool.set.state(event.member());
        Admission.Outcome outcome = Admission.admit(pool.head, before, pool.seenAt.get(event.id()), event, window);
        if (outcome.verdict() != Admission.Verdict.DUPLICATE) {
            pool.head = outcome.head();
            long since = outcome.since().toEpochMilli();
            pool.seenAt.put(event.id(), since);
            pool.seenOrder.addLast(Map.entry(event.id(), since));
            forget(pool, window.oldestRemembered(since));
            if (outcome.state() != before) {
                pool.set = pool.set.with(event.member(), before, outcome.state());
            }
        }
        return outcome;
    }

    /** Forgets ids first seen before {@code oldest}, unless seen again since; decisions do not depend on it. */
    private static void forget(Pool pool, long oldest) {
        while (!pool.seenOrder.isEmpty() && pool.seenOrder.peekFirst().getValue() < oldest) {
            Map.Entry<String, Long> seen = pool.seenOrder.removeFirst();
            pool.seenAt.remove(seen.getKey(), seen.getValue());
        }
    }

    /** Folds one event; returns true when it changed its pool's member set. */
    public boolean apply(MemberEvent event) {
        return admit(event).verdict() == Admission.Verdict.CHANGED;
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
