package dev.roster.config;

import dev.roster.core.EventCodec;
import dev.roster.core.MemberDraining;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberLeft;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

import static dev.roster.config.LogReplayTest.joined;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rebuilding recorded versions from an in-memory log, with the builder's applier making the versions. */
class RebuilderTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TEMPLATE = """
            # {{instance}} {{frontendAddress}}:{{frontendPort}}
            {{#each pools}}
            backend {{name}} # v{{version}}
            {{#each members}}
                server {{name}} {{address}}:{{port}} weight {{#if draining}}0{{else}}{{weight}}{{/if}}
            {{/each}}
            {{/each}}
            """;

    @TempDir
    Path dir;

    private final FakeEventLog log = new FakeEventLog(2);
    /** Plays history-api: the latest snapshot of each pool, as the builder would have read them. */
    private final LogReplay history = new LogReplay();
    private final Map<String, PoolSnapshot> snapshots = new TreeMap<>();
    private ConfigBuilderSettings settings;
    private ConfigApplier applier;

    @BeforeEach
    void setUp() throws IOException {
        Path template = Files.writeString(dir.resolve("mine.hbs"), TEMPLATE);
        settings = ConfigBuilderSettings.defaults("unused:9092", dir.resolve("work")).withValidate(false)
                .withTemplateFile(template).withFrontend("127.0.0.1", 18080);
        applier = ConfigApplier.create(settings);
    }

    private void event(int partition, MemberEvent event) {
        record(partition, event.pool(), EventCodec.encode(event));
    }

    private void record(int partition, String key, byte[] value) {
        long offset = log.append(partition, key, value);
        history.accept(partition, offset, key, value).ifPresent(s -> snapshots.put(s.pool(), s));
    }

    private VersionRecord apply() throws IOException {
        return applier.apply(snapshots.values()).orElseThrow();
    }

    /** Four versions from a log with a dead letter, a duplicate, a drain and a leave across two partitions. */
    private void buildFourVersions() throws IOException {
        event(0, joined("e1", "web", "a", 9001, T0));
        event(1, joined("e2", "api", "x", 9101, T0.plusSeconds(1)));
        apply();
        record(0, "web", "{broken".getBytes(StandardCharsets.UTF_8));
        event(0, joined("e3", "web", "b", 9002, T0.plusSeconds(2)));
        event(0, joined("e3", "web", "b", 9002, T0.plusSeconds(2)));
        apply();
        event(0, new MemberDraining("e4", "web", "a", 1, T0.plusSeconds(3), "test"));
        apply();
        event(1, new MemberLeft("e5", "api", "x", 1, T0.plusSeconds(4), "test"));
        apply();
    }

    @Test
    void rebuildsEveryVersionByteForByteAfterTheTemplateAndTheSettingsChanged() throws IOException {
        buildFourVersions();
        Files.writeString(settings.templateFile().orElseThrow(), "edited since\n");
        VersionStore store = VersionStore.open(settings.versionsDir());
        Rebuilder rebuilder = new Rebuilder(store, log);

        for (long version = 1; version <= 4; version++) {
            Rebuilder.Check check = rebuilder.rebuildVersion(version);
            assertThat(check.identical()).as("version " + version + ": " + check.problem()).isTrue();
            assertThat(check.rebuilt().text()).isEqualTo(store.text(version));
        }
        assertThat(store.text(3)).isEqualTo("""
                # haproxy-1 127.0.0.1:18080
                backend api # v1
                    server x 127.0.0.1:9101 weight 1
                backend web # v3
                    server a 127.0.0.1:9001 weight 0
                    server b 127.0.0.1:9002 weight 1
                """);
    }

    @Test
    void verifyAllReadsTheLogOnceAndShowsATamperedVersionAsAUnifiedDiff() throws IOException {
        buildFourVersions();
        Path second = settings.versionsDir().resolve("haproxy-000002.cfg");
        Files.writeString(second, Files.readString(second).replace("127.0.0.1:9002", "127.0.0.1:9999"));
        VersionStore store = VersionStore.open(settings.versionsDir());
        int readsBefore = log.reads;

        List<Rebuilder.Check> checks = new Rebuilder(store, log).verifyAll();

        assertThat(log.reads - readsBefore).isEqualTo(1);
        assertThat(checks).extracting(Rebuilder.Check::version).containsExactly(1L, 2L, 3L, 4L);
        assertThat(checks).extracting(Rebuilder.Check::identical).containsExactly(true, false, true, true);
        assertThat(checks.get(1).diff(store)).isEqualTo("""
                --- haproxy-000002.cfg
                +++ rebuilt from roster.events
                @@ -3,5 +3,5 @@
                     server x 127.0.0.1:9101 weight 1
                 backend web # v2
                     server a 127.0.0.1:9001 weight 1
                -    server b 127.0.0.1:9999 weight 1
                +    server b 127.0.0.1:9002 weight 1
                \s
                """);
    }

    @Test
    void rebuildsThePointInTimeWithTheTemplateOfTheVersionLiveThen() throws IOException {
        buildFourVersions();
        VersionStore store = VersionStore.open(settings.versionsDir());
        Rebuilder rebuilder = new Rebuilder(store, log);

        Rebuilder.Rebuilt between = rebuilder.rebuildAt(T0.plusMillis(2500), OptionalLong.empty());
        Rebuilder.Rebuilt before = rebuilder.rebuildAt(T0.minusSeconds(1), OptionalLong.empty());

        assertThat(between.text()).isEqualTo(store.text(2));
        assertThat(between.templateVersion()).isEqualTo(2);
        assertThat(rebuilder.versionWithSha256(between.sha256())).hasValue(2);
        assertThat(before.pools()).isEmpty();
        assertThat(before.text()).isEqualTo("# haproxy-1 127.0.0.1:18080\n");
        assertThat(before.templateVersion()).as("no version is that old: the oldest one's template").isEqualTo(1);
        assertThat(rebuilder.versionWithSha256(before.sha256())).isEmpty();
    }

    @Test
    void aBuilderServingSomePoolsRecordsAndRebuildsExactlyThose() throws IOException {
        buildFourVersions();
        event(1, joined("e6", "api2", "y", 9102, T0.plusSeconds(5)));
        VersionRecord recorded = ConfigApplier.create(settings.withPools(PoolSelection.of("api*"))).apply(snapshots.values())
                .orElseThrow();

        VersionStore store = VersionStore.open(settings.versionsDir());
        assertThat(recorded.render().pools()).isEqualTo(PoolSelection.of("api*"));
        assertThat(recorded.poolVersions()).containsOnlyKeys("api", "api2");
        assertThat(store.text(recorded.version())).doesNotContain("backend web");
        Rebuilder rebuilder = new Rebuilder(store, log);
        assertThat(rebuilder.rebuildVersion(recorded.version()).identical()).isTrue();
        Rebuilder.Rebuilt now = rebuilder.rebuildAt(T0.plusSeconds(10), OptionalLong.empty());
        assertThat(now.templateVersion()).isEqualTo(recorded.version());
        assertThat(now.pools()).containsOnlyKeys("api", "api2");
        assertThat(now.text()).isEqualTo(store.text(recorded.version()));
    }

    @Test
    void saysWhyAVersionCannotBeRebuilt() throws IOException {
        buildFourVersions();
        VersionStore store = VersionStore.open(settings.versionsDir());
        store.add("left by a crash\n");
        ConfigApplier.create(settings).apply(snapshots.values());
        Rebuilder rebuilder = new Rebuilder(store, log);
        Rebuilder shortLog = new Rebuilder(store, new FakeEventLog(2));

        assertThatThrownBy(() -> rebuilder.rebuildVersion(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there is no version 99 in " + settings.versionsDir());
        assertThatThrownBy(() -> new Rebuilder(VersionStore.open(settings.versionsDir()), log).rebuildVersion(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("version 5 cannot be rebuilt: its manifest names no template and render parameters"
                        + " (abandoned: the builder stopped before deciding it)");
        assertThatThrownBy(() -> shortLog.rebuildVersion(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("roster.events partition 0 ends at offset 0, but a version was built from offset 0 of it:"
                        + " is this the cluster the builder used?");
    }
}
