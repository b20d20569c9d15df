package dev.roster.core;

import java.util.Collections;
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
 */
public record MemberSet(String pool, long version, SortedMap<String, Member> members, Map<String, Long> incarnations,
                        Map<String, Member> failed) {
    public MemberSet {
        Fields.name("pool", pool);
        if (version < 0) {
            throw new IllegalArgumentException("version must be 0 or more, was " + version);
        }
        members = Collections.unmodifiableSortedMap(new TreeMap<>(members));
        incarnations = Map.copyOf(incarnations);
        failed = failed == null ? Map.of() : Map.copyOf(failed);
    }

    /** A pool nobody has joined yet: version 0, no members. */
    public static MemberSet empty(String pool) {
        return new MemberSet(pool, 0, new TreeMap<>(), Map.of(), Map.of());
    }

    /** Members in name order. */
    public List<Member> memberList() {
        return List.copyOf(members.values());
    }
}
