package dev.roster.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Follows {@code roster.snapshots} and keeps every pool as of its latest version. The topic holds two kinds of
 * record, both in the pool's partition and compacted by key:
 * <ul>
 *   <li>{@code pool/member} → the member as served ({@link Member} JSON), or no value once it is not a
 *       member: one row per member, written when that member changed;</li>
 *   <li>{@code pool} → a {@link PoolVersion}: the pool is at that version once the rows before it are
 *       applied. No value: the pool is gone.</li>
 * </ul>
 * Rows are held back until the next head of their pool, so a reader sees each pool only at a version the
 * fold produced, never half-way between two. Feed it each partition in log order, committed records only.
 */
public final class SnapshotFollower {
    private static final class Pool {
        final TreeMap<String, Member> members = new TreeMap<>();
        /** Rows read since the last head, by member; a null value removes the member. */
        final Map<String, Member> pending = new HashMap<>();
        PoolVersion version;
    }

    private final Predicate<String> selected;
    private final Map<String, Pool> pools = new TreeMap<>();

    /** @param selected the pools to follow; records of the others are skipped */
    public SnapshotFollower(Predicate<String> selected) {
        this.selected = selected;
    }

    public SnapshotFollower() {
        this(pool -> true);
    }

    /** The key of a member's row. */
    public static String memberKey(String pool, String member) {
        return pool + "/" + member;
    }

    /** The pool a key of the topic belongs to: names never contain {@code /}. */
    public static String poolOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /**
     * The partition of a record of the topic: that of its pool, hashed as Kafka's default partitioner hashes a
     * key that is the pool's name, so a pool's rows and heads share one partition and keep their order.
     */
    public static int partition(String key, int partitions) {
        byte[] pool = poolOf(key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(pool)) % partitions;
    }

    public static byte[] encode(PoolVersion version) {
        return write(version);
    }

    public static byte[] encode(Member member) {
        return write(member);
    }

    /**
     * The member a row holds.
     *
     * @throws IllegalArgumentException if the value is not a member's JSON
     */
    public static Member decodeRow(byte[] value) {
        return read(value, Member.class);
    }

    /**
     * The version a head holds.
     *
     * @throws IllegalArgumentException if the value is not a pool version's JSON
     */
    public static PoolVersion decodeHead(byte[] value) {
        return read(value, PoolVersion.class);
    }

    /** What one record did. */
    public enum Effect {
        /** Nothing visible yet: a row held back, or a record of a pool not followed. */
        NONE,
        /** The pool moved to a new version. */
        VERSION,
        /** The pool is gone (its head's tombstone). */
        DELETED
    }

    /**
     * Takes one record.
     *
     * @throws IllegalArgumentException if the key or value cannot be read; nothing changes then
     */
    public Effect accept(String key, byte[] value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("snapshot record without a key");
        }
        String pool = poolOf(key);
        if (!selected.test(pool)) {
            return Effect.NONE;
        }
        if (key.length() > pool.length()) {
            String member = key.substring(pool.length() + 1);
            Member row = value == null ? null : decodeRow(value);
            if (row != null && !row.name().equals(member)) {
                throw new IllegalArgumentException("row " + key + " holds member " + row.name());
            }
            pools.computeIfAbsent(pool, name -> new Pool()).pending.put(member, row);
            return Effect.NONE;
        }
        if (value == null) {
            return pools.remove(pool) != null ? Effect.DELETED : Effect.NONE;
        }
        PoolVersion version = decodeHead(value);
        if (!version.pool().equals(pool)) {
            throw new IllegalArgumentException("head " + key + " is of pool " + version.pool());
        }
        Pool state = pools.computeIfAbsent(pool, name -> new Pool());
        state.pending.forEach((member, row) -> {
            if (row == null) {
                state.members.remove(member);
            } else {
                state.members.put(member, row);
            }
        });
        state.pending.clear();
        state.version = version;
        return Effect.VERSION;
    }

    /** The pool at its latest version, or empty if no version of it was read. */
    public Optional<PoolSnapshot> snapshot(String pool) {
        Pool state = pools.get(pool);
        if (state == null || state.version == null) {
            return Optional.empty();
        }
        PoolVersion v = state.version;
        return Optional.of(new PoolSnapshot(pool, v.version(), new ArrayList<>(state.members.values()), v.through(),
                v.at()));
    }

    /** Every pool with a version, by name. */
    public List<PoolSnapshot> snapshots() {
        List<PoolSnapshot> all = new ArrayList<>();
        for (String pool : pools.keySet()) {
            snapshot(pool).ifPresent(all::add);
        }
        return all;
    }

    /** Forgets everything read, to read the topic again from its beginning. */
    public void clear() {
        pools.clear();
    }

    private static <T> T read(byte[] value, Class<T> type) {
        try {
            return Json.MAPPER.readValue(value, type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }
}
