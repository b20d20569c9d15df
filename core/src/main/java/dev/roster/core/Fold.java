package dev.roster.core;

import org.pcollections.TreePMap;

import java.util.function.UnaryOperator;

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
        return change(set, joined, members -> members.plus(member.name(), member), null);
    }

    /** Changes a present member in place; an absent member is not brought back by an update or a drain. */
    private static MemberSet replace(MemberSet set, MemberEvent event, Member current, Member replacement) {
        if (current == null) {
            return withIncarnation(set, event);
        }
        if (replacement.equals(current)) {
            return withIncarnation(set, event);
        }
        return change(set, event, members -> members.plus(replacement.name(), replacement), null);
    }

    private static MemberSet recover(MemberSet set, MemberRecovered recovered, Long known) {
        Member failed = set.failed().get(recovered.member());
        // Only the very run that failed can recover; a newer run announces itself with a join.
        if (failed == null || known == null || recovered.incarnation() != known) {
            return set;
        }
        return change(set, recovered, members -> members.plus(failed.name(), failed), null);
    }

    private static MemberSet remove(MemberSet set, MemberEvent event, Member current) {
        if (current == null) {
            return withIncarnation(set, event);
        }
        Member keptForRecovery = event instanceof MemberFailed ? current : null;
        return change(set, event, members -> members.minus(event.member()), keptForRecovery);
    }

    /** A membership change: the next version, the event's incarnation recorded, the failed list kept true. */
    private static MemberSet change(MemberSet set, MemberEvent event, UnaryOperator<TreePMap<String, Member>> edit,
                                    Member failed) {
        // Every map of a MemberSet is persistent: the next set shares all of this one but the changed path.
        TreePMap<String, Member> members = edit.apply(MemberSet.persistent(set.members()));
        TreePMap<String, Member> failedMembers = MemberSet.persistent(set.failed());
        failedMembers = failed != null ? failedMembers.plus(failed.name(), failed) : failedMembers.minus(event.member());
        return new MemberSet(set.pool(), set.version() + 1, members, incarnations(set, event), failedMembers);
    }

    /** Records a newer incarnation without a membership change; same instance when nothing is new. */
    private static MemberSet withIncarnation(MemberSet set, MemberEvent event) {
        Long known = set.incarnations().get(event.member());
        if (known != null && known == event.incarnation()) {
            return set;
        }
        // A newer incarnation makes the failed run's recovery impossible.
        TreePMap<String, Member> failed = MemberSet.persistent(set.failed()).minus(event.member());
        return new MemberSet(set.pool(), set.version(), set.members(), incarnations(set, event), failed);
    }

    private static TreePMap<String, Long> incarnations(MemberSet set, MemberEvent event) {
        TreePMap<String, Long> incarnations = MemberSet.persistent(set.incarnations());
        Long known = incarnations.get(event.member());
        if (known != null && known == event.incarnation()) {
            return incarnations;
        }
        return incarnations.plus(event.member(), event.incarnation());
    }
}
