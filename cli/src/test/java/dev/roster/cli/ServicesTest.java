package dev.roster.cli;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ServicesTest {
    @Test
    void aServiceThatDiesIsStoppedOnceAndItsReasonReturned() throws Exception {
        AtomicInteger stops = new AtomicInteger();
        AtomicInteger checks = new AtomicInteger();
        Optional<String> reason = Services.runUntilStopped(stops::incrementAndGet,
                () -> checks.incrementAndGet() < 2 ? Optional.empty() : Optional.of("HAProxy exited"));
        assertThat(reason).contains("HAProxy exited");
        assertThat(stops).hasValue(1);
        assertThat(checks).hasValue(2);
    }
}
