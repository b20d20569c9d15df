package dev.roster.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class OperatorRequestsTest {
    @TempDir
    Path workDir;

    @Test
    void aRequestIsClaimedOnceAndAnsweredBesideIt() throws Exception {
        OperatorRequests cli = new OperatorRequests(workDir);
        OperatorRequests builder = new OperatorRequests(workDir);
        Path request = cli.submitActivation(3);

        List<OperatorRequests.Request> claimed = builder.claimPending();

        assertThat(claimed).containsExactly(new OperatorRequests.Request(request, 3));
        assertThat(builder.claimPending()).as("taken once").isEmpty();
        assertThat(cli.withdraw(request)).as("too late to withdraw").isFalse();
        builder.answer(claimed.get(0), new OperatorRequests.Answer(true, "version 9 is live: a copy of version 3", null));
        assertThat(cli.awaitAnswer(request, Duration.ofSeconds(1)))
                .contains(new OperatorRequests.Answer(true, "version 9 is live: a copy of version 3", null));
        assertThat(listing()).isEmpty();
    }

    @Test
    void anUnansweredRequestTimesOutAndCanBeWithdrawn() throws Exception {
        OperatorRequests cli = new OperatorRequests(workDir);
        Path request = cli.submitActivation(2);

        assertThat(cli.awaitAnswer(request, Duration.ofMillis(100))).isEmpty();
        assertThat(cli.withdraw(request)).isTrue();
        assertThat(new OperatorRequests(workDir).claimPending()).isEmpty();
    }

    @Test
    void anUnreadableRequestIsAnsweredWithAnError() throws Exception {
        Files.createDirectories(workDir.resolve("requests"));
        Path request = Files.writeString(workDir.resolve("requests/activate-00000000-0000-0000-0000-000000000000.json"),
                "{\"version\": \"three\"}");

        assertThat(new OperatorRequests(workDir).claimPending()).isEmpty();

        OperatorRequests.Answer answer = new OperatorRequests(workDir).awaitAnswer(request, Duration.ofSeconds(1))
                .orElseThrow();
        assertThat(answer.ok()).isFalse();
        assertThat(answer.message()).startsWith("unreadable request: ");
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(workDir.resolve("requests"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
