package dev.roster.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FoldTest {
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");
    private int ids;

    private MemberJoined join(String member, long incarnation, int port) {
        return new MemberJoined("e" + ids++, "web", member, incarnation, AT, "test", "127.0.0.1", port, 100, Map.of());
    }

    private MemberLeft leave(String member, long incarnation) {
        return new MemberLeft("e" + ids++, "web", member, incarnation, AT, "test");
    }

    private MemberFailed fail(String member, long incarnation) {
        return new MemberFailed("e" + ids++, "web", member, incarnation, AT, "detector", "no heartbeat");
    }

    @Test
    void joinAddsMemberAndBumpsVersion() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        assertThat(set.version()).isEqualTo(1);
        assertThat(set.memberList()).containsExactly(new Member("s1", "127.0.0.1", 8081, 100, Map.of()));
    }

    @Test
    void leaveAndFailureRemoveTheMember() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        set = Fold.apply(set, join("s2", 1, 8082));
        set = Fold.apply(set, leave("s1", 1));
        set = Fold.apply(set, fail("s2", 1));
        assertThat(set.members()).isEmpty();
        assertThat(set.version()).isEqualTo(4);
    }

    @Test
    void eventThatChangesNothingReturnsTheSameInstance() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        assertThat(Fold.apply(set, join("s1", 1, 8081))).isSameAs(set);
        assertThat(Fold.apply(set, leave("s9", 0))).isNotSameAs(set).extracting(MemberSet::version).isEqualTo(1L);
    }

    @Test
    void staleFailureOfOlderIncarnationDoesNotRemoveNewerOne() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 4, 8081));
        assertThat(Fold.apply(set, fail("s1", 3))).isSameAs(set);
    }

    @Test
    void replayedJoinOfDepartedIncarnationDoesNotReadmit() {
        MemberJoined first = join("s1", 1, 8081);
        MemberSet set = Fold.apply(Fold.apply(MemberSet.empty("web"), first), leave("s1", 1));
        assertThat(Fold.apply(set, first)).isSameAs(set);
        MemberSet rejoined = Fold.apply(set, join("s1", 2, 8081));
        assertThat(rejoined.members()).containsKey("s1");
        assertThat(rejoined.version()).isEqualTo(3);
    }

    @Test
    void joinWithNewAddressUpdatesMember() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        set = Fold.apply(set, join("s1", 2, 9091));
        assertThat(set.memberList()).extracting(Member::port).containsExactly(9091);
        assertThat(set.version()).isEqualTo(2);
    }

    @Test
    void memberSetsReadBackFromJsonAreEqualAndFoldTheSame() throws Exception {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s2", 1, 8082));
        set = Fold.apply(set, join("s1", 1, 8081));
        set = Fold.apply(set, fail("s2", 1));
        MemberSet read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(set), MemberSet.class);
        assertThat(read).isEqualTo(set);
        assertThat(read.members().firstKey()).isEqualTo("s1");
        MemberEvent recovery = recover("s2", 1);
        assertThat(Fold.apply(read, recovery)).isEqualTo(Fold.apply(set, recovery));
    }

    @Test
    void memberSetMapsCannotBeChanged() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        Member member = set.members().get("s1");
        assertThatThrownBy(() -> set.members().put("s2", member)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> set.incarnations().remove("s1")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> set.failed().put("s1", member)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesEventOfAnotherPool() {
        MemberEvent other = new MemberLeft("x", "api", "s1", 1, AT, "test");
        assertThatThrownBy(() -> Fold.apply(MemberSet.empty("web"), other))
                .hasMessage("event for pool api folded into pool web");
    }

    private MemberRecovered recover(String member, long incarnation) {
        return new MemberRecovered("e" + ids++, "web", member, incarnation, AT, "detector");
    }

    @Test
    void recoveryOfFailedIncarnationAdmitsTheMemberAsItWas() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 3, 8081));
        set = Fold.apply(set, fail("s1", 3));
        MemberSet recovered = Fold.apply(set, recover("s1", 3));
        assertThat(recovered.memberList()).containsExactly(new Member("s1", "127.0.0.1", 8081, 100, Map.of()));
        assertThat(recovered.version()).isEqualTo(3);
        assertThat(recovered.failed()).isEmpty();
    }

    @Test
    void recoveryAfterLeaveOrOfAnotherIncarnationChangesNothing() {
        MemberSet left = Fold.apply(Fold.apply(MemberSet.empty("web"), join("s1", 3, 8081)), leave("s1", 3));
        assertThat(Fold.apply(left, recover("s1", 3))).isSameAs(left);

        MemberSet failed = Fold.apply(Fold.apply(MemberSet.empty("web"), join("s1", 3, 8081)), fail("s1", 3));
        assertThat(Fold.apply(failed, recover("s1", 2))).isSameAs(failed);
        assertThat(Fold.apply(failed, recover("s1", 4))).isSameAs(failed);
    }

    @Test
    void drainKeepsTheMemberMarkedDrainingUntilItLeaves() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        MemberSet drained = Fold.apply(set, new MemberDraining("d1", "web", "s1", 1, AT, "agent"));
        assertThat(drained.memberList()).containsExactly(new Member("s1", "127.0.0.1", 8081, 100, Map.of(), Member.DRAINING));
        assertThat(drained.version()).isEqualTo(2);
        assertThat(Fold.apply(drained, new MemberDraining("d2", "web", "s1", 1, AT, "agent"))).isSameAs(drained);
        assertThat(Fold.apply(drained, join("s1", 1, 8081))).as("replayed join does not undo the drain").isSameAs(drained);
        assertThat(Fold.apply(drained, leave("s1", 1)).members()).isEmpty();
    }

    @Test
    void updateChangesOnlyTheFieldsItCarries() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), join("s1", 1, 8081));
        MemberSet updated = Fold.apply(set, new MemberUpdated("u1", "web", "s1", 1, AT, "agent", null, null, 7,
                Map.of("zone", "b")));
        assertThat(updated.memberList()).containsExactly(new Member("s1", "127.0.0.1", 8081, 7, Map.of("zone", "b")));
        assertThat(updated.version()).isEqualTo(2);
    }

    @Test
    void updateOrDrainOfAbsentMemberDoesNotBringItBack() {
        MemberSet set = MemberSet.empty("web");
        assertThat(Fold.apply(set, new MemberUpdated("u1", "web", "s1", 1, AT, "a", "10.0.0.1", null, null, null))
                .members()).isEmpty();
        assertThat(Fold.apply(set, new MemberDraining("d1", "web", "s1", 1, AT, "a")).members()).isEmpty();
    }

    @Test
    void updateWithoutAnyChangeIsRefused() {
        assertThatThrownBy(() -> new MemberUpdated("u1", "web", "s1", 1, AT, "a", null, null, null, null))
                .hasMessage("member-updated must change at least one of address, port, weight, tags");
    }
}
