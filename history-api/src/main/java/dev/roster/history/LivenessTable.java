package dev.roster.history;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.StoreBuilder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The failure detector's table: {@link Liveness} per member plus a queue of deadlines, so that finding the
 * members that are due reads only those, not every member. A heartbeat only moves {@code lastSeenMs} on;
 * its queue entry stays where it was, and when that entry comes due early the member is queued again at
 * its real deadline. So a heartbeat is one write to a hash map, and each member passes through the queue
 * about once per timeout, however often it beats.
 *
 * <p>A state store of its task, shared by the fold (which watches members as they join and leave) and the
 * detector, held as Java objects: liveness is rebuilt after a restart (every present member gets a full
 * timeout), so it has no changelog, and nothing is serialized on the heartbeat path.
 */
final class LivenessTable implements StateStore {
    /** A queue entry: the member is looked at again at {@code deadlineMs}. */
    private record Queued(long deadlineMs, String memberKey) {
    }

    private static final Comparator<Queued> BY_DEADLINE = Comparator.comparingLong(Queued::deadlineMs)
            .thenComparing(Queued::memberKey);

    private final String name;
    private final long timeoutMs;
    private final Map<String, Liveness> liveness = new HashMap<>();
    private final NavigableSet<Queued> deadlines = new TreeSet<>(BY_DEADLINE);
    private boolean open;
    private long examined;

    LivenessTable(String name, long timeoutMs) {
        this.name = name;
        this.timeoutMs = timeoutMs;
    }

    /** Builds one table per task, under {@code name}. */
    static StoreBuilder<LivenessTable> builder(String name, long timeoutMs) {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<LivenessTable> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<LivenessTable> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<LivenessTable> withLoggingEnabled(Map<String, String> config) {
                throw new UnsupportedOperationException("liveness is rebuilt after a restart: it has no changelog");
            }

            @Override
            public StoreBuilder<LivenessTable> withLoggingDisabled() {
                return this;
            }

            @Override
            public LivenessTable build() {
                return new LivenessTable(name, timeoutMs);
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    Liveness get(String memberKey) {
        return liveness.get(memberKey);
    }

    /** Keeps {@code value} for the member, queued no later than its deadline. */
    void put(String memberKey, Liveness value) {
        long deadline = value.deadline(timeoutMs);
        if (value.queuedMs() > deadline) {
            if (value.queuedMs() != Long.MAX_VALUE) {
                deadlines.remove(new Queued(value.queuedMs(), memberKey));
            }
            deadlines.add(new Queued(deadline, memberKey));
            value = value.queuedAt(deadline);
        }
        liveness.put(memberKey, value);
    }

    /** A sign of life: only the time moves on, the queue entry stays (it can only be early now). */
    void seen(String memberKey, Liveness known, long nowMs) {
        liveness.put(memberKey, known.seenAt(nowMs));
    }

    void delete(String memberKey) {
        Liveness known = liveness.remove(memberKey);
        if (known != null && known.queuedMs() != Long.MAX_VALUE) {
            deadlines.remove(new Queued(known.queuedMs(), memberKey));
        }
    }

    /**
     * The members whose deadline has passed at {@code nowMs}, by member key, oldest deadline first. Entries
     * that came due early (the member was heard of since) are queued again at their real deadline. Reads
     * only the queue entries whose time has come.
     */
    List<KeyValue<String, Liveness>> due(long nowMs) {
        List<Queued> reached = new ArrayList<>();
        for (Iterator<Queued> it = deadlines.iterator(); it.hasNext(); ) {
            Queued next = it.next();
            if (next.deadlineMs() > nowMs) {
                break;
            }
            reached.add(next);
            it.remove();
        }
        examined += reached.size();
        List<KeyValue<String, Liveness>> due = new ArrayList<>();
        for (Queued entry : reached) {
            Liveness known = liveness.get(entry.memberKey());
            if (known == null) {
                continue;
            }
            Liveness unqueued = known.queuedAt(Long.MAX_VALUE);
            if (known.deadline(timeoutMs) > nowMs) {
                put(entry.memberKey(), unqueued);
            } else {
                liveness.put(entry.memberKey(), unqueued);
                due.add(KeyValue.pair(entry.memberKey(), unqueued));
            }
        }
        return due;
    }

    /**
     * How many queue entries the checks have read so far: about one per member per timeout, whatever the
     * heartbeat rate and however often the check runs, as a check reads only the entries that came due.
     */
    long examined() {
        return examined;
    }

    /** How many members are watched. */
    int size() {
        return liveness.size();
    }

    /** How many queue entries are waiting. */
    int queued() {
        return deadlines.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        liveness.clear();
        deadlines.clear();
        // Nothing to restore: the detector fills the table again from the member rows.
        context.register(root, (key, value) -> {
        });
        open = true;
    }

    @Override
    public void flush() {
        // Nothing is kept anywhere but here.
    }

    @Override
    public void close() {
        liveness.clear();
        deadlines.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
