package dev.roster.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one fold of Roster: {@code MemberSet apply(MemberSet, MemberEvent)}. The Streams aggregator,
 * the rebuild command and the tests all call it, so replaying the log always gives the same state.
 * It is pure: no clock, no I/O, and it returns the very same instance for an event that changes nothing.
 */
public final class Fold {
    private Fold() {
    }

    public static MemberSet apply(MemberSet set, MemberEvent event) {
        if (!set.pool().equals(event.pool())) {
            throw new IllegalArgumentException("event for pool " + event.pool() + " folded into pool " + set.pool());
        }
        Long known = set.incarnations().get(event.member());
        // Like serf's Lamport check: an event of an older run of the agent says nothing about the current
        // one (a late "failed" for incarnation 3 must not remove incarnation 4), so it is dropped.
        if (known != null && event.incarnation() < known) {
            return set;
        }
        Member current = set.members().get(event.member());
        if (event instanceof MemberJoined joined) {
            return join(set, joined, known, current);
        }
        // member-left and member-failed both take the member out; they differ only in history.
        return remove(set, event, current);
    }

    private static MemberSet join(MemberSet set, MemberJoined joined, Long known, Member current) {
        // A join with the incarnation that already left or failed is a replay of an old announcement
        // (duplicates, retries): only a newer run of the agent brings a departed member back.
        if (current == null && known != null && joined.incarnation() == known) {
            return set;
        }
        Member member = joined.toMember();
        if (member.equals(current)) {
            return withIncarnation(set, joined);
        }
        TreeMap<String, Member> members = new TreeMap<>(set.members());
        members.put(member.name(), member);
        return new MemberSet(set.pool(), set.version() + 1, members, incarnations(set, joined));
    }

    private static MemberSet remove(MemberSet set, MemberEvent event, Member current) {
        if (current == null) {
            return withIncarnation(set, event);
        }
        TreeMap<String, Member> members = new TreeMap<>(set.members());
        members.remove(event.member());
        return new MemberSet(set.pool(), set.version() + 1, members, incarnations(set, event));
    }

    /** Records a newer incarnation without a membership change; same instance when nothing is new. */
    private static MemberSet withIncarnation(MemberSet set, MemberEvent event) {
        Long known = set.incarnations().get(event.member());
        if (known != null && known == event.incarnation()) {
            return set;
        }
        return new MemberSet(set.pool(), set.version(), set.members(), incarnations(set, event));
    }

    private static Map<String, Long> incarnations(MemberSet set, MemberEvent event) {
        Map<String, Long> incarnations = new HashMap<>(set.incarnations());
        incarnations.put(event.member(), event.incarnation());
        return incarnations;
    }
}
