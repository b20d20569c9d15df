package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roster.core.Json;
import dev.roster.core.Member;
import dev.roster.core.PoolHead;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Read-only questions about pools, answered from this instance's stores: only for pools whose
 * partition this instance owns (the REST layer forwards the others). Every answer is a point read or a
 * range scan bounded by the answer's size, never a scan of the whole store.
 */
public final class HistoryQueries {
    /** Most log entries one page reads while looking for events of the asked type. */
    static final int SCAN_BUDGET = 10_000;
    private static final Pattern LOG_POSITION = Pattern.compile("\\d{19}/\\d{19}");
    private static final Pattern OFFSET = Pattern.compile("\\d{19}");

    private final StoreSource stores;

    public HistoryQueries(StoreSource stores) {
        this.stores = stores;
    }

    /** The member set of a pool at one version, and since when that version was current. */
    public record PoolAt(String pool, long version, Instant since, List<Member> members) {
        public PoolAt {
            members = List.copyOf(members);
        }
    }

    /** Pools with at least one event folded, in name order; only those this instance owns. */
    public List<PoolHead> pools() {
        List<PoolHead> pools = new ArrayList<>();
        ReadOnlyKeyValueStore<String, PoolHead> store = stores.store(Stores.POOL_HEADS);
        try (KeyValueIterator<String, PoolHead> it = store.all()) {
            it.forEachRemaining(entry -> pools.add(entry.value));
        }
        pools.sort((a, b) -> a.pool().compareTo(b.pool()));
        return pools;
    }

    public Optional<PoolHead> pool(String pool) {
        ReadOnlyKeyValueStore<String, PoolHead> store = stores.store(Stores.POOL_HEADS);
        return Optional.ofNullable(store.get(pool));
    }

    /** The members the pool serves now, in name order: a scan of its member rows. */
    public List<Member> currentMembers(String pool) {
        return FoldProcessor.currentMembers(stores.store(Stores.POOL_MEMBERS), pool);
    }

    /**
     * The pool's member set at {@code version}: the nearest checkpoint at or before it, then the changes
     * after that checkpoint. Version 0 is the empty pool before anyone joined.
     *
     * @return empty when the pool has no such version yet
     * @throws ApiException 404 when the stores do not reach back to that version
     */
    public Optional<PoolAt> membersAt(PoolHead pool, long version) {
        if (version > pool.version() || version < 0) {
            return Optional.empty();
        }
        if (version == 0) {
            return Optional.of(new PoolAt(pool.pool(), 0, null, List.of()));
        }
        ReadOnlyKeyValueStore<String, PoolChange> changes = stores.store(Stores.POOL_CHANGES);
        PoolChange change = changes.get(Stores.changeKey(pool.pool(), version));
        if (change == null) {
            throw notKept(pool.pool(), version);
        }
        if (version == pool.version()) {
            return Optional.of(new PoolAt(pool.pool(), version, change.since(), currentMembers(pool.pool())));
        }
        TreeMap<String, Member> members = new TreeMap<>();
        if (change.checkpoint() > 0) {
            ReadOnlyKeyValueStore<String, Member> checkpoints = stores.store(Stores.POOL_CHECKPOINTS);
            String prefix = Stores.checkpointPrefix(pool.pool(), change.checkpoint());
            try (KeyValueIterator<String, Member> it = checkpoints.prefixScan(prefix, new StringSerializer())) {
                it.forEachRemaining(entry -> members.put(entry.value.name(), entry.value));
            }
        }
        if (change.checkpoint() < version) {
            try (KeyValueIterator<String, PoolChange> it = changes.range(
                    Stores.changeKey(pool.pool(), change.checkpoint() + 1), Stores.changeKey(pool.pool(), version))) {
                it.forEachRemaining(entry -> apply(members, entry.value));
            }
        }
        return Optional.of(new PoolAt(pool.pool(), version, change.since(), List.copyOf(members.values())));
    }

    /**
     * The version that was current at {@code at}: the newest whose {@code since} is not after it, found by
     * binary search over the versions ({@code since} never decreases). 0 if the pool had no member yet.
     */
    public long versionAt(PoolHead pool, Instant at) {
        ReadOnlyKeyValueStore<String, PoolChange> changes = stores.store(Stores.POOL_CHANGES);
        long low = 1;
        long high = pool.version();
        long found = 0;
        while (low <= high) {
            long middle = (low + high) >>> 1;
            PoolChange change = changes.get(Stores.changeKey(pool.pool(), middle));
            if (change == null) {
                throw notKept(pool.pool(), middle);
            }
            if (change.since().isAfter(at)) {
                high = middle - 1;
            } else {
                found = middle;
                low = middle + 1;
            }
        }
        return found;
    }

    /**
     * A page of the pool's log in log order, optionally only events whose place on the pool's clock is in
     * [{@code from}, {@code to}] and of one type.
     *
     * @param from   null: from the beginning
     * @param to     null: up to now
     * @param type   null: every type
     * @param cursor null: the first page
     */
    public Page<ObjectNode> events(String pool, Instant from, Instant to, String type, int limit, String cursor) {
        String prefix = pool + "/";
        String lower = cursor != null ? Stores.after(prefix + Cursor.decode(cursor, LOG_POSITION))
                : prefix + (from == null ? "" : Stores.timeKey(from));
        String upper = prefix + (to == null ? Stores.MAX_NUMBER : Stores.timeKey(to)) + "/" + Stores.MAX_NUMBER;
        ReadOnlyKeyValueStore<String, byte[]> log = stores.store(Stores.POOL_LOG);
        List<ObjectNode> events = new ArrayList<>();
        String last = null;
        int scanned = 0;
        try (KeyValueIterator<String, byte[]> it = log.range(lower, upper)) {
            while (it.hasNext() && events.size() < limit && scanned < SCAN_BUDGET) {
                KeyValue<String, byte[]> entry = it.next();
                scanned++;
                last = entry.key;
                ObjectNode event = json(entry.value);
                if (type == null || type.equals(event.path("type").asText())) {
                    events.add(event);
                }
            }
            // A page may stop short of the limit when the type is rare: the cursor then carries on the scan.
            String next = it.hasNext() && last != null ? Cursor.encode(last.substring(prefix.length())) : null;
            return new Page<>(events, next);
        }
    }

    /** A page of one member's events, in log order. */
    public Page<ObjectNode> memberEvents(String pool, String member, int limit, String cursor) {
        String prefix = pool + "/" + member + "/";
        String lower = cursor != null ? Stores.after(prefix + Cursor.decode(cursor, OFFSET)) : prefix;
        ReadOnlyKeyValueStore<String, byte[]> store = stores.store(Stores.MEMBER_EVENTS);
        ReadOnlyKeyValueStore<String, byte[]> log = stores.store(Stores.POOL_LOG);
        List<ObjectNode> events = new ArrayList<>();
        String last = null;
        try (KeyValueIterator<String, byte[]> it = store.range(lower, prefix + Stores.MAX_NUMBER)) {
            while (it.hasNext() && events.size() < limit) {
                KeyValue<String, byte[]> entry = it.next();
                last = entry.key;
                // The member's index points into the pool's log, which holds each event once.
                byte[] logged = log.get(new String(entry.value, java.nio.charset.StandardCharsets.UTF_8));
                if (logged == null) {
                    throw new IllegalStateException("history store misses the pool log entry of " + entry.key);
                }
                events.add(json(logged));
            }
            String next = it.hasNext() && last != null ? Cursor.encode(last.substring(prefix.length())) : null;
            return new Page<>(events, next);
        }
    }

    /** The changes of a pool after {@code afterVersion}, in order, while {@code since} ≤ {@code to}, at most {@code max}. */
    public List<PoolChange> changes(String pool, long afterVersion, Instant to, int max) {
        ReadOnlyKeyValueStore<String, PoolChange> changes = stores.store(Stores.POOL_CHANGES);
        List<PoolChange> list = new ArrayList<>();
        try (KeyValueIterator<String, PoolChange> it = changes.range(Stores.changeKey(pool, afterVersion + 1),
                Stores.changeKey(pool, Long.MAX_VALUE))) {
            while (it.hasNext() && list.size() < max) {
                PoolChange change = it.next().value;
                if (change.since().isAfter(to)) {
                    break;
                }
                list.add(change);
            }
        }
        return list;
    }

    /** The oldest change these stores keep of the pool (version 1 unless they began later). */
    public Optional<PoolChange> firstChange(String pool) {
        ReadOnlyKeyValueStore<String, PoolChange> changes = stores.store(Stores.POOL_CHANGES);
        try (KeyValueIterator<String, PoolChange> it = changes.range(Stores.changeKey(pool, 0),
                Stores.changeKey(pool, Long.MAX_VALUE))) {
            return it.hasNext() ? Optional.of(it.next().value) : Optional.empty();
        }
    }

    static void apply(TreeMap<String, Member> members, PoolChange change) {
        if (change.after() == null) {
            members.remove(change.member());
        } else {
            members.put(change.member(), change.after());
        }
    }

    private static ApiException notKept(String pool, long version) {
        return ApiException.notFound("version", "version " + version + " of pool " + pool
                + " is older than the history this history-api keeps (its stores began later)");
    }

    private static ObjectNode json(byte[] bytes) {
        return LoggedEvent.fromBytes(bytes).toJson();
    }
}
