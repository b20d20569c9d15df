package dev.roster.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CommandsTest {
    private static final Duration AMPLE = Duration.ofSeconds(20);

    @Test
    void aCommandThatExitsZeroSucceeds() {
        assertThat(Commands.succeeds(AMPLE, "sh", "-c", "echo some output; exit 0")).isTrue();
    }

    @Test
    void aNonZeroExitFails() {
        assertThat(Commands.succeeds(AMPLE, "sh", "-c", "exit 3")).isFalse();
    }

    @Test
    void aCommandThatIsNotInstalledFails() {
        assertThat(Commands.succeeds(AMPLE, "roster-no-such-command-here")).isFalse();
    }

    @Test
    void aCommandStillRunningAtTheTimeoutFails() {
        assertThat(Commands.succeeds(Duration.ofMillis(200), "sleep", "30")).isFalse();
    }
}
