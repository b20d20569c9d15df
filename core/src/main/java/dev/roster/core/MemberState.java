package dev.roster.core;

/**
 * One member's part of a pool's state, all the fold reads and writes for an event of that member: the
 * member as served, the newest incarnation seen of its name, and the member as it was when it failed.
 * Every event touches exactly one member, so a pool's state is its members' states plus a version.
 *
 * @param present     the member as served now; null when it is not a member (never joined, left, failed)
 * @param incarnation the newest incarnation seen of this name; kept after the member leaves so that a late
 *                    event of an older run stays recognisably stale
 * @param failed      the member as it was when declared failed, so that a recovery of the same run can admit
 *                    it again as it was; null unless it failed and no newer run has spoken since
 */
public record MemberState(Member present, long incarnation, Member failed) {
    public MemberState {
        Fields.incarnation("incarnation", incarnation);
        if (present != null && failed != null) {
            throw new IllegalArgumentException("a present member cannot be failed as well: " + present.name());
        }
    }
}
