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
        if (event instanceof MemberRecovered recovered) {
            return recover(set, recovered, known);
        }
        if (event instanceof MemberUpdated updated) {
            return replace(set, updated, current, current == null ? null : updated.applyTo(current));
        }
        if (event instanceof MemberDraining draining) {
            return replace(set, draining, current, current == null ? null : current.withState(Member.DRAINING));
        }
        return remove(set, event, current);
    }

    private static MemberSet join(MemberSet set, MemberJoined joined, Long known, Member current) {
        // A join carries the incarnation of the agent's start. Seen again with the same incarnation it is a
        // replay of that announcement (duplicate, retry): it neither brings back a member that left or
        // failed, nor undoes a drain or an update since; only a newer run of the agent does that.
        if (known != null && joined.incarnation() == known) {
            return set;
        }
        Member member = joined.toMember();
        if (member.equals(current)) {
            return withIncarnation(set, joined);
        }
        return change(set, joined, members -> members.put(member.name(), member), null);
    }

    /** Changes a present member in place; an absent member is not brought back by an update or a drain. */
    private static MemberSet replace(MemberSet set, MemberEvent event, Member current, Member replacement) {
        if (current == null) {
            return withIncarnation(set, event);
        }
        if (replacement.equals(current)) {
            return withIncarnation(set, event);
        }
        return change(set, event, members -> members.put(replacement.name(), replacement), null);
    }

    private static MemberSet recover(MemberSet set, MemberRecovered recovered, Long known) {
        Member failed = set.failed().get(recovered.member());
        // Only the very run that failed can recover; a newer run announces itself with a join.
        if (failed == null || known == null || recovered.incarnation() != known) {
            return set;
        }
        return change(set, recovered, members -> members.put(failed.name(), failed), null);
    }

    private static MemberSet remove(MemberSet set, MemberEvent event, Member current) {
        if (current == null) {
            return withIncarnation(set, event);
        }
        Member keptForRecovery = event instanceof MemberFailed ? current : null;
        return change(set, event, members -> members.remove(event.member()), keptForRecovery);
    }

    /** A membership change: the next version, the event's incarnation recorded, the failed list kept true. */
    private static MemberSet change(MemberSet set, MemberEvent event,
                                    java.util.function.Consumer<TreeMap<String, Member>> edit, Member failed) {
        TreeMap<String, Member> members = new TreeMap<>(set.members());
        edit.accept(members);
        // The bookkeeping maps are immutable and mostly unchanged by an event: pass them on as they are
        // (MemberSet's Map.copyOf keeps an immutable map as it is), so a long replay copies little.
        Map<String, Member> failedMembers = set.failed();
        if (failed != null || failedMembers.containsKey(event.member())) {
            failedMembers = new HashMap<>(failedMembers);
            if (failed != null) {
                failedMembers.put(failed.name(), failed);
            } else {
                failedMembers.remove(event.member());
            }
        }
        return new MemberSet(set.pool(), set.version() + 1, members, incarnations(set, event), failedMembers);
    }

    /** Records a newer incarnation without a membership change; same instance when nothing is new. */
    private static MemberSet withIncarnation(MemberSet set, MemberEvent event) {
        Long known = set.incarnations().get(event.member());
        if (known != null && known == event.incarnation()) {
            return set;
        }
        Map<String, Member> failed = new HashMap<>(set.failed());
        // A newer incarnation makes the failed run's recovery impossible.
        failed.remove(event.member());
        return new MemberSet(set.pool(), set.version(), set.members(), incarnations(set, event), failed);
    }

    private static Map<String, Long> incarnations(MemberSet set, MemberEvent event) {
        Long known = set.incarnations().get(event.member());
        if (known != null && known == event.incarnation()) {
            return set.incarnations();
        }
        Map<String, Long> incarnations = new HashMap<>(set.incarnations());
        incarnations.put(event.member(), event.incarnation());
        return incarnations;
    }
}
