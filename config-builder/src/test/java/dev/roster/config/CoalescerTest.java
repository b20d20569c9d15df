package dev.roster.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescerTest {
    private static final long MS = 1_000_000;
    private static final OptionalLong NEVER = OptionalLong.empty();

    private final Coalescer coalescer = new Coalescer(Duration.ofMillis(50), Duration.ofMillis(500));

    @Test
    void nothingIsDueWithoutAChange() {
        assertThat(coalescer.pending()).isFalse();
        assertThat(coalescer.due(NEVER)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLoneChangeIsRenderedAfterTheQuietWindow() {
        coalescer.changed(1_000 * MS);

        assertThat(coalescer.due(NEVER)).isEqualTo(1_050 * MS);
        assertThat(coalescer.mayReload(1_050 * MS, NEVER)).isTrue();
    }

    @Test
    void aBurstIsRenderedAtTheLatestTheMaximumWaitAfterItsFirstChange() {
        for (long at = 0; at <= 800; at += 20) {
            coalescer.changed(at * MS);
        }

        assertThat(coalescer.due(NEVER)).isEqualTo(500 * MS);
    }

    @Test
    void aChangeRightAfterAReloadIsNotHeldBackUnlessItNeedsAReloadItself() {
        OptionalLong reloadedAt = OptionalLong.of(1_000 * MS);
        coalescer.changed(1_100 * MS);

        assertThat(coalescer.due(reloadedAt)).as("a join the runtime API adds goes at once").isEqualTo(1_150 * MS);
        assertThat(coalescer.mayReload(1_150 * MS, reloadedAt)).isFalse();

        coalescer.waitForReload();

        assertThat(coalescer.due(reloadedAt)).as("a new pool waits for the next reload").isEqualTo(1_500 * MS);
        assertThat(coalescer.mayReload(1_500 * MS, reloadedAt)).isTrue();
        coalescer.changed(1_300 * MS);
        assertThat(coalescer.due(reloadedAt)).as("changes meanwhile ride along").isEqualTo(1_500 * MS);
    }

    @Test
    void aFailedRenderIsRetriedAfterTheDelayAndDoneClearsEverything() {
        coalescer.changed(0);
        coalescer.failed(50 * MS, Duration.ofSeconds(1));

        assertThat(coalescer.due(NEVER)).isEqualTo(1_050 * MS);

        coalescer.done();

        assertThat(coalescer.pending()).isFalse();
        coalescer.changed(2_000 * MS);
        assertThat(coalescer.due(NEVER)).isEqualTo(2_050 * MS);
    }
}
