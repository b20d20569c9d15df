package dev.roster.history;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The failure detector's table: {@link Liveness} per member plus a queue of deadlines, so that finding the
 * members that are due reads only those, not every member. A heartbeat only moves {@code lastSeenMs} on;
 * its queue entry stays where it was, and when that entry comes due early the member is queued again at
 * its real deadline. So a heartbeat is one write, and each member passes through the queue about once per
 * timeout, however often it beats.
 */
final class LivenessTable {
    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<String, Liveness> liveness;
    private final KeyValueStore<String, byte[]> deadlines;
    private final long timeoutMs;

    LivenessTable(KeyValueStore<String, Liveness> liveness, KeyValueStore<String, byte[]> deadlines, long timeoutMs) {
        this.liveness = liveness;
        this.deadlines = deadlines;
        this.timeoutMs = timeoutMs;
    }

    Liveness get(String memberKey) {
        return liveness.get(memberKey);
    }

    /** Keeps {@code value} for the member, queued no later than its deadline. */
    void put(String memberKey, Liveness value) {
        long deadline = value.deadline(timeoutMs);
        if (value.queuedMs() > deadline) {
            if (value.queuedMs() != Long.MAX_VALUE) {
                deadlines.delete(Stores.deadlineKey(value.queuedMs(), memberKey));
            }
            deadlines.put(Stores.deadlineKey(deadline, memberKey), NOTHING);
            value = value.queuedAt(deadline);
        }
        liveness.put(memberKey, value);
    }

    /** A sign of life: only the time moves on, the queue entry stays (it can only be early now). */
    void seen(String memberKey, Liveness known, long nowMs) {
        liveness.put(memberKey, known.seenAt(nowMs));
    }

    void delete(String memberKey) {
        Liveness known = liveness.delete(memberKey);
        if (known != null && known.queuedMs() != Long.MAX_VALUE) {
            deadlines.delete(Stores.deadlineKey(known.queuedMs(), memberKey));
        }
    }

    /**
     * The members whose deadline has passed at {@code nowMs}, by member key, oldest deadline first. Entries
     * that came due early (the member was heard of since) are queued again at their real deadline.
     */
    List<KeyValue<String, Liveness>> due(long nowMs) {
        List<String> reached = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = deadlines.range(Stores.deadlineKey(0, ""),
                Stores.deadlineKey(nowMs, "\uffff"))) {
            it.forEachRemaining(entry -> reached.add(entry.key));
        }
        List<KeyValue<String, Liveness>> due = new ArrayList<>();
        for (String key : reached) {
            deadlines.delete(key);
            String memberKey = key.substring(key.indexOf('/') + 1);
            Liveness known = liveness.get(memberKey);
            if (known == null) {
                continue;
            }
            Liveness unqueued = known.queuedAt(Long.MAX_VALUE);
            if (known.deadline(timeoutMs) > nowMs) {
                put(memberKey, unqueued);
            } else {
                liveness.put(memberKey, unqueued);
                due.add(KeyValue.pair(memberKey, unqueued));
            }
        }
        return due;
    }

    /** Every member watched, for a restart. */
    List<KeyValue<String, Liveness>> all() {
        List<KeyValue<String, Liveness>> all = new ArrayList<>();
        try (KeyValueIterator<String, Liveness> it = liveness.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
