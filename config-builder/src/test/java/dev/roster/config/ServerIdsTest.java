package dev.roster.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerIdsTest {
    @Test
    void aMemberKeepsItsIdWhenOthersJoinAndLeave() {
        Map<String, Long> before = ServerIds.assign(List.of("web-1", "web-3"));
        Map<String, Long> after = ServerIds.assign(List.of("web-0", "web-1", "web-2", "web-3"));

        assertThat(after).containsEntry("web-1", before.get("web-1")).containsEntry("web-3", before.get("web-3"));
        assertThat(ServerIds.assign(List.of("web-3"))).containsEntry("web-3", before.get("web-3"));
    }

    @Test
    void idsArePositiveIntsAndUniqueInABackend() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            names.add(String.format("node-%05d", i));
        }
        Map<String, Long> ids = ServerIds.assign(names);

        assertThat(new HashSet<>(ids.values())).hasSize(names.size());
        assertThat(ids.values()).allMatch(id -> id >= 1 && id <= Integer.MAX_VALUE);
    }

    @Test
    void onACollisionTheMemberLaterByNameTakesTheNextFreeId() {
        // Two names whose CRC-32 agree (found by search): the first by name keeps its id.
        long shared = ServerIds.preferred("node-3985819");
        assertThat(ServerIds.preferred("node-4420602")).isEqualTo(shared);

        assertThat(ServerIds.assign(List.of("node-3985819", "node-4420602")))
                .containsEntry("node-3985819", shared).containsEntry("node-4420602", shared + 1);
    }

    @Test
    void aNameGivenTwiceKeepsOneIdSoThatHaproxyRefusesTheTwins() {
        assertThat(ServerIds.assign(List.of("web-1", "web-1"))).containsExactly(Map.entry("web-1", ServerIds.preferred("web-1")));
    }
}
