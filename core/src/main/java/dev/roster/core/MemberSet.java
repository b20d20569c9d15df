package dev.roster.core;

import org.pcollections.TreePMap;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The state of one pool after folding its events: the members currently served, by name, and the
 * pool's {@code version}, which grows by exactly one each time the member set changes.
 *
 * <p>{@code incarnations} and {@code failed} are bookkeeping, not membership: the newest incarnation seen
 * per member name, kept after a member leaves so that a late event of an older incarnation stays
 * recognisably stale; and the members that failed, as they were, so that a recovery of the same
 * incarnation can admit them again.
 *
 * <p>All three maps are immutable persistent maps in name order (see {@link #persistent}), so that the
 * fold can make the next set from this one without copying it.
 */
public record MemberSet(String pool, long version, SortedMap<String, Member> members, Map<String, Long> incarnations,
                        Map<String, Member> failed) {
    public MemberSet {
        Fields.name("pool", pool);
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        members = persistent(members);
        incarnations = persistent(incarnations);
        failed = failed == null ? TreePMap.empty() : persistent(failed);
    }

    /** A pool nobody has joined yet: version 0, no members. */
    public static MemberSet empty(String pool) {
        return new MemberSet(pool, 0, TreePMap.empty(), TreePMap.empty(), TreePMap.empty());
    }

    /** The state of one member, null for a name this pool has not seen. */
    public MemberState state(String member) {
        Long incarnation = incarnations.get(member);
        return incarnation == null ? null : new MemberState(members.get(member), incarnation, failed.get(member));
    }

    /**
     * This set with one member's state replaced; the next version when who is served changed.
     *
     * @param before the member's state in this set, as {@link #state} gave it
     */
    MemberSet with(String member, MemberState before, MemberState after) {
        TreePMap<String, Member> nextMembers = put(persistent(members), member, after.present());
        TreePMap<String, Long> nextIncarnations = persistent(incarnations).plus(member, after.incarnation());
        TreePMap<String, Member> nextFailed = put(persistent(failed), member, after.failed());
        return new MemberSet(pool, version + (Fold.changesMembership(before, after) ? 1 : 0), nextMembers,
                nextIncarnations, nextFailed);
    }

    private static <V> TreePMap<String, V> put(TreePMap<String, V> map, String key, V value) {
        return value == null ? map.minus(key) : map.plus(key, value);
    }

    /** Members in name order. */
    public List<Member> memberList() {
        return List.copyOf(members.values());
    }

    /**
     * {@code map} as an immutable persistent map in name order. One that already is (every map of a
     * MemberSet) is returned as it is: the fold derives a set's maps from the previous set's with
     * {@code plus} and {@code minus}, which share all but one path of the tree, so a long replay no longer
     * copies a whole pool at each change. Any other map is copied and, as with {@link Map#copyOf}, must
     * hold no null key or value.
     */
    static <V> TreePMap<String, V> persistent(Map<String, V> map) {
        if (map instanceof TreePMap<String, V> tree && tree.comparator() == Comparator.<String>naturalOrder()) {
            return tree;
        }
        // Sorted first, so that the tree is built in one pass rather than entry by entry.
        return TreePMap.fromSortedMap(new TreeMap<>(Map.copyOf(map)));
    }
}
