package dev.roster.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterCliTest {
    @Test
    void parsesShowProcWithCurrentAndOldWorkers() {
        String answer = """
                #<PID>          <type>          <reloads>       <uptime>        <version>     \s
                22243           master          2 [failed: 1]   0d00h00m09s     2.6.12-1+deb12u4
                # workers
                22292           worker          0               0d00h00m01s     2.6.12-1+deb12u4
                22293           worker          0               0d00h00m01s     2.6.12-1+deb12u4
                # old workers
                22246           worker          1               0d00h00m09s     2.6.12-1+deb12u4
                # programs

                """;

        assertThat(MasterCli.parseProcs(answer))
                .isEqualTo(new MasterCli.Procs(22243, 2, 1, List.of(22292L, 22293L), List.of(22246L)));
    }

    @Test
    void parsesAMasterLineWithoutFailedCount() {
        assertThat(MasterCli.parseProcs("#<PID> <type>\n7 master 0 0d 2.4\n# workers\n8 worker 0 0d 2.4\n"))
                .isEqualTo(new MasterCli.Procs(7, 0, -1, List.of(8L), List.of()));
    }

    @Test
    void refusesAnAnswerWithoutMaster() {
        assertThatThrownBy(() -> MasterCli.parseProcs("Unknown command.\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an answer to show proc: Unknown command.");
    }

    @Test
    void reloadReportsAMissingSocketWithoutThrowing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        MasterCli.ReloadResult result = new MasterCli(dir.resolve("none.sock")).reload(java.time.Duration.ofMillis(200));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).startsWith("master CLI at " + dir.resolve("none.sock") + " does not answer: ");
    }
}
