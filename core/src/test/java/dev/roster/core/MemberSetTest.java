package dev.roster.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemberSetTest {
    private static Member member(String name) {
        return new Member(name, "10.0.0.1", 80, 1, Map.of());
    }

    @Test
    void takesMapsFromElsewhereInNameOrder() {
        TreeMap<String, Member> reversed = new TreeMap<>(Comparator.reverseOrder());
        for (String name : new String[]{"s2", "s10", "s1"}) {
            reversed.put(name, member(name));
        }
        MemberSet set = new MemberSet("web", 3, reversed, Map.of("s1", 1L), null);
        assertThat(set.members().keySet()).containsExactly("s1", "s10", "s2");
        assertThat(set.memberList()).extracting(Member::name).containsExactly("s1", "s10", "s2");
        assertThat(set.failed()).isEmpty();
    }

    @Test
    void refusesNullsAsMapCopyOfDoes() {
        Map<String, Long> withNull = new HashMap<>();
        withNull.put("s1", null);
        assertThatThrownBy(() -> new MemberSet("web", 0, new TreeMap<>(), withNull, Map.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void keepsTheMapsOfTheSetItWasFoldedFrom() {
        MemberSet set = Fold.apply(MemberSet.empty("web"), new MemberJoined("e1", "web", "s1", 1,
                Instant.parse("2026-01-01T00:00:00Z"), "t", "10.0.0.1", 80, 1, Map.of()));
        MemberSet again = new MemberSet(set.pool(), set.version(), set.members(), set.incarnations(), set.failed());
        assertThat(again.members()).isSameAs(set.members());
        assertThat(again.incarnations()).isSameAs(set.incarnations());
        assertThat(again.failed()).isSameAs(set.failed());
    }
}
