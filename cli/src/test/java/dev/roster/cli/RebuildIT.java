package dev.roster.cli;

import dev.roster.config.ConfigBuilder;
import dev.roster.config.VersionRecord;
import dev.roster.config.VersionStore;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole stack (embedded broker, history-api, config builder, HAProxy, demo nodes) builds versions from
 * real joins and leaves; then {@code roster rebuild} makes every one of them again from the log, and
 * {@code roster config activate} pins an old one through the running builder.
 */
class RebuildIT extends OnLocalStack {
    private record Result(int code, String out, String err) {
    }

    private static Result roster(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-server", stack.bootstrapServers(), "--work-dir", workDir().toString()));
        int code = Roster.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static Path workDir() {
        return stack.liveConfig().getParent();
    }

    /** Waits until an applied version's text satisfies {@code test}; returns that version. */
    private static VersionRecord awaitLive(Predicate<String> test) {
        ConfigBuilder builder = stack.configBuilder();
        await().atMost(Duration.ofSeconds(30)).until(() -> builder.latestRecord().filter(VersionRecord::applied)
                .map(r -> test.test(text(r.version()))).orElse(false));
        return builder.latestRecord().orElseThrow();
    }

    private static String text(long version) {
        try {
            return Files.readString(stack.versionsDir().resolve(String.format("haproxy-%06d.cfg", version)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyVersionRebuildsFromTheLogAndAnOldOneCanBePinnedLiveAgain() throws Exception {
        for (String node : List.of("n1", "n2", "n3")) {
            stack.addNode(node);
        }
        VersionRecord three = awaitLive(text -> text.contains("server n1 ") && text.contains("server n2 ")
                && text.contains("server n3 "));
        Instant whileThree = Instant.now();
        Thread.sleep(50);
        stack.stopNode("n2");
        VersionRecord two = awaitLive(text -> !text.contains("server n2 "));

        Result all = roster("rebuild", "--verify-all");

        assertThat(all.code()).as(all.out() + all.err()).isZero();
        List<String> lines = List.of(all.out().split("\n"));
        assertThat(lines).hasSize((int) two.version() + 1);
        for (long v = 1; v <= two.version(); v++) {
            VersionRecord manifest = VersionStore.open(stack.versionsDir()).manifest(v).orElseThrow();
            assertThat(lines.get((int) v - 1)).isEqualTo("version " + v + ": identical (sha256 " + manifest.sha256() + ")");
        }
        assertThat(lines.get(lines.size() - 1)).isEqualTo(two.version() + " versions: " + two.version()
                + " identical, 0 different, 0 skipped");

        Path output = dataDir.resolve("rebuilt.cfg");
        Result one = roster("rebuild", "--version", String.valueOf(three.version()), "--output", output.toString());

        assertThat(one.code()).as(one.err()).isZero();
        assertThat(output).hasContent(text(three.version()));
        assertThat(one.err()).isEqualTo("version " + three.version() + " rebuilt from roster.events: sha256 "
                + three.sha256() + ", as in its manifest\n");

        Result then = roster("rebuild", "--at", whileThree.toString());

        assertThat(then.code()).as(then.err()).isZero();
        assertThat(then.out()).isEqualTo(text(three.version()));
        assertThat(then.err()).endsWith("; rendered with the template and settings of version " + three.version()
                + "; the same text as version " + three.version() + " (sha256 " + three.sha256() + ")\n");

        Result pin = roster("config", "activate", "--version", String.valueOf(three.version()));

        long pinned = two.version() + 1;
        assertThat(pin.code()).as(pin.err()).isZero();
        assertThat(pin.out()).isEqualTo("version " + pinned + " is live: a copy of version " + three.version() + "\n");
        assertThat(stack.liveConfig()).hasContent(text(three.version()));
        VersionRecord pinRecord = VersionStore.open(stack.versionsDir()).manifest(pinned).orElseThrow();
        assertThat(pinRecord.origin()).isEqualTo(VersionRecord.OPERATOR);
        assertThat(pinRecord.activation()).isEqualTo(VersionRecord.BY_RELOAD);

        stack.addNode("n4");
        VersionRecord after = awaitLive(text -> text.contains("server n4 "));

        assertThat(after.version()).isGreaterThan(pinned);
        assertThat(text(after.version())).doesNotContain("server n2 ").contains("server n1 ", "server n3 ");
        Result again = roster("rebuild", "--verify-all");
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out()).contains("version " + pinned + ": identical (sha256 " + three.sha256() + ")");
    }
}
