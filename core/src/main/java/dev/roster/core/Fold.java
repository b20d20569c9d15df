package dev.roster.core;

/**
 * The one fold of Roster. An event concerns one member, so the fold is {@link #step}: that member's
 * {@link MemberState} before the event and the event give its state after. {@link #apply} does the same on
 * a whole {@link MemberSet}. The history-api (on member rows of its stores), the rebuild and the tests all
 * call {@link #step} through {@link Admission}, so replaying the log always gives the same state. It is
 * pure: no clock, no I/O, and it returns the very same instance for an event that changes nothing.
 */
public final class Fold {
    private Fold() {
    }

    /** The member set after {@code event}: the same instance when nothing changes. */
    public static MemberSet apply(MemberSet set, MemberEvent event) {
        if (!set.pool().equals(event.pool())) {
            throw new IllegalArgumentException("event for pool " + event.pool() + " folded into pool " + set.pool());
        }
        MemberState before = set.state(event.member());
        MemberState after = step(before, event);
        return after == before ? set : set.with(event.member(), before, after);
    }

    /**
     * The member's state after {@code event}.
     *
     * @param state the member's state before, null for a name the pool has not seen
     * @return the same instance when the event changes nothing (it may be null then)
     */
    public static MemberState step(MemberState state, MemberEvent event) {
        // Like serf's Lamport check: an event of an older run of the agent says nothing about the current
        // one (a late "failed" for incarnation 3 must not remove incarnation 4), so it is dropped.
        if (isStale(state, event)) {
            return state;
        }
        Member current = state == null ? null : state.present();
        if (event instanceof MemberJoined joined) {
            return join(state, joined, current);
        }
        if (event instanceof MemberRecovered recovered) {
            return recover(state, recovered);
        }
        if (event instanceof MemberUpdated updated) {
            return replace(state, updated, current, current == null ? null : updated.applyTo(current));
        }
        if (event instanceof MemberDraining draining) {
            return replace(state, draining, current, current == null ? null : current.withState(Member.DRAINING));
        }
        if (event instanceof MemberLeft left) {
            return remove(state, left, current, null);
        }
        if (event instanceof MemberFailed failed) {
            // Kept as it was, so that a recovery of the same run can admit it again.
            return remove(state, failed, current, current);
        }
        throw new IllegalArgumentException("no fold rule for events of type " + event.type());
    }

    /** Whether the event comes from an older run of its member's agent than one already seen. */
    public static boolean isStale(MemberState state, MemberEvent event) {
        return state != null && event.incarnation() < state.incarnation();
    }

    private static MemberState join(MemberState state, MemberJoined joined, Member current) {
        // A join carries the incarnation of the agent's start. Seen again with the same incarnation it is a
        // replay of that announcement (duplicate, retry): it neither brings back a member that left or
        // failed, nor undoes a drain or an update since; only a newer run of the agent does that.
        if (state != null && joined.incarnation() == state.incarnation()) {
            return state;
        }
        Member member = joined.toMember();
        if (member.equals(current)) {
            return withIncarnation(state, joined);
        }
        return new MemberState(member, joined.incarnation(), null);
    }

    /** Changes a present member in place; an absent member is not brought back by an update or a drain. */
    private static MemberState replace(MemberState state, MemberEvent event, Member current, Member replacement) {
        if (current == null || replacement.equals(current)) {
            return withIncarnation(state, event);
        }
        return new MemberState(replacement, event.incarnation(), null);
    }

    private static MemberState recover(MemberState state, MemberRecovered recovered) {
        // Only the very run that failed can recover; a newer run announces itself with a join.
        if (state == null || state.failed() == null || recovered.incarnation() != state.incarnation()) {
            return state;
        }
        return new MemberState(state.failed(), state.incarnation(), null);
    }

    private static MemberState remove(MemberState state, MemberEvent event, Member current, Member keptForRecovery) {
        if (current == null) {
            return withIncarnation(state, event);
        }
        return new MemberState(null, event.incarnation(), keptForRecovery);
    }

    /** Records a newer incarnation without a membership change; same instance when nothing is new. */
    private static MemberState withIncarnation(MemberState state, MemberEvent event) {
        if (state != null && state.incarnation() == event.incarnation()) {
            return state;
        }
        // A newer incarnation makes the failed run's recovery impossible.
        return new MemberState(state == null ? null : state.present(), event.incarnation(), null);
    }

    /** Whether going from {@code before} to {@code after} changes who is served, or how: a new pool version. */
    public static boolean changesMembership(MemberState before, MemberState after) {
        Member was = before == null ? null : before.present();
        Member is = after == null ? null : after.present();
        return !java.util.Objects.equals(was, is);
    }
}
