package dev.roster.config;

import dev.roster.core.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerStatesTest {
    /** As HAProxy 2.6 prints {@code show servers state}: web/two drained through the runtime API, on port 18483. */
    private static final String DUMP = """
            1
            # be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight \
            srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state \
            srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port \
            srv_check_addr srv_agent_addr srv_agent_port
            3 web 1 one 127.0.0.1 2 0 5 1 11 6 3 4 6 0 0 0 - 18481 - 0 0 - - 0
            3 web 2 two 127.0.0.1 2 8 1 0 6 8 2 3 6 0 0 0 - 18483 - 0 0 - - 0
            4 api 1 a 10.0.0.7 0 0 1 1 6 8 2 3 6 0 0 0 - 80 - 0 0 - - 0

            """;

    @Test
    void readsTheColumnsRosterNeedsByName() {
        assertThat(ServerStates.parse(DUMP)).containsExactly(
                new ServerStates.Server("web", "one", "127.0.0.1", 18481, 0, 5),
                new ServerStates.Server("web", "two", "127.0.0.1", 18483, 8, 1),
                new ServerStates.Server("api", "a", "10.0.0.7", 80, 0, 1));
        assertThat(ServerStates.parse(DUMP).get(1).drained()).isTrue();
        assertThat(ServerStates.parse("1\n")).isEmpty();
        assertThat(ServerStates.parse("Unknown command.\n")).isEmpty();
    }

    @Test
    void filterDropsOnlyTheRefusedServerLines() {
        String kept = ServerStates.filter(DUMP, server -> !server.server().equals("two"));

        assertThat(kept).isEqualTo(DUMP.replace("3 web 2 two 127.0.0.1 2 8 1 0 6 8 2 3 6 0 0 0 - 18483 - 0 0 - - 0\n", ""));
    }

    @Test
    void commandsDrainFirstThenMoveAndWeigh() {
        ServerStates.Server running = new ServerStates.Server("web", "one", "127.0.0.1", 18481, 0, 5);

        assertThat(ServerStates.commandsFor("web", running,
                new Member("one", "127.0.0.2", 18482, 3, Map.of(), Member.DRAINING)))
                .containsExactly("set server web/one state drain", "set server web/one addr 127.0.0.2 port 18482",
                        "set server web/one weight 0");
    }

    @Test
    void commandsEndADrainLastAtTheWantedWeight() {
        ServerStates.Server drained = new ServerStates.Server("web", "two", "127.0.0.1", 18483, 8, 0);

        assertThat(ServerStates.commandsFor("web", drained, new Member("two", "127.0.0.1", 18483, 2, Map.of())))
                .containsExactly("set server web/two weight 2", "set server web/two state ready");
    }

    @Test
    void noCommandsForAServerThatMatches() {
        ServerStates.Server running = new ServerStates.Server("web", "one", "127.0.0.1", 18481, 0, 5);

        assertThat(ServerStates.commandsFor("web", running, new Member("one", "127.0.0.1", 18481, 5, Map.of())))
                .isEmpty();
    }

    @Test
    void aHostNameIsNeverSetAtRuntime() {
        ServerStates.Server running = new ServerStates.Server("web", "one", "10.0.0.9", 80, 0, 1);

        assertThat(ServerStates.commandsFor("web", running, new Member("one", "web1.example.com", 81, 1, Map.of())))
                .isEqualTo(List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                                                                               | true
            IP changed from '127.0.0.1' to '127.0.0.2', port changed from '1' to '2' by 'stats socket command' | true
            no need to change the addr, port changed from '18482' to '18483' by 'stats socket command'       | true
            No such server.                                                                  | false
            No such backend.                                                                 | false
            Absolute weight can only be between 0 and 256 inclusive.                         | false
            Invalid addr 'foo.example.com' by 'stats socket command'                         | false
            New server registered.                                                           | true
            Server deleted.                                                                  | true
            'id' : custom id 1 already used at h.cfg:16 ('server a').                        | false
            Server still has connections attached to it, cannot remove it.                   | false
            """)
    void tellsAcceptedRuntimeAnswersFromRefusals(String answer, boolean accepted) {
        assertThat(RuntimeApi.accepted(answer)).isEqualTo(accepted);
    }
}
