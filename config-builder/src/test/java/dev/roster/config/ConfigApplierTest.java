package dev.roster.config;

import dev.roster.core.LogPosition;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The render → version → validate → activate step, with a real {@code haproxy -c} and no Kafka. */
class ConfigApplierTest {
    @TempDir
    Path workDir;

    private ConfigBuilderSettings settings() {
        return ConfigBuilderSettings.defaults("unused:9092", workDir).withHaproxyBinary(TestSupport.HAPROXY);
    }

    private static final PoolSnapshot WEB_1 = pool("web", 1, 0, 3, member("web-1", "127.0.0.1", 9001));
    private static final PoolSnapshot WEB_2 = pool("web", 2, 0, 4, member("web-1", "127.0.0.1", 9001),
            member("web-2", "127.0.0.1", 9002));
    /** Two members with one name: the fold never builds this, HAProxy must refuse it if it ever comes. */
    private static final PoolSnapshot WEB_4 = pool("web", 4, 0, 6, member("web-2", "127.0.0.1", 9002));
    private static final PoolSnapshot WEB_TWINS = pool("web", 3, 0, 5, member("web-1", "127.0.0.1", 9001),
            member("web-1", "127.0.0.1", 9003));

    @Test
    void appliesANewVersionAndMakesItLive() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());

        Optional<VersionRecord> record = applier.apply(List.of(WEB_1));

        String text = ConfigRenderer.render(settings(), List.of(WEB_1));
        String template = applier.renderer().templateSha256();
        assertThat(record).contains(new VersionRecord(1, "haproxy-1", Sha256.hex(text), template, Map.of("web", 1L),
                Map.of("web", new LogPosition(0, 3)), VersionRecord.APPLIED, "", settings().renderParameters(),
                VersionRecord.BY_FILE, List.of(), VersionRecord.BUILDER, 0, 0));
        assertThat(Files.readString(settings().liveFile())).isEqualTo(text);
        assertThat(Files.readString(settings().versionsDir().resolve("haproxy-000001.cfg"))).isEqualTo(text);
        assertThat(applier.store().manifest(1)).isEqualTo(record);
        assertThat(settings().versionsDir().resolve("templates/" + template + ".hbs"))
                .hasContent(applier.renderer().templateText());
        assertThat(settings().serverStateFile()).as("an empty state HAProxy can load").hasContent("1");
    }

    @Test
    void rejectedVersionIsRecordedWithHaproxysMessageAndNeverGoesLive() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());
        applier.apply(List.of(WEB_1));
        String live = Files.readString(settings().liveFile());

        VersionRecord rejected = applier.apply(List.of(WEB_TWINS)).orElseThrow();

        Path file = settings().versionsDir().resolve("haproxy-000002.cfg");
        int second = TestSupport.lines(Files.readString(file)).lastIndexOf(
                "    server web-1 127.0.0.1:9003 id " + ServerIds.preferred("web-1")
                + " check inter 1s fall 2 rise 2 weight 1") + 1;
        assertThat(rejected.version()).isEqualTo(2);
        assertThat(rejected.status()).isEqualTo(VersionRecord.REJECTED);
        assertThat(rejected.activation()).isEqualTo(VersionRecord.NOT_ACTIVATED);
        assertThat(TestSupport.withoutPids(rejected.reason())).isEqualTo("""
                [ALERT]    (PID) : config : [%s:%d] : 'server web/web-1' : 'id' : custom id %d already used at %s:%d \
                ('server web-1').
                [ALERT]    (PID) : config : Error(s) found in configuration file : %s
                [ALERT]    (PID) : config : Fatal errors found in configuration.""".formatted(file, second,
                ServerIds.preferred("web-1"), file, second - 1, file));
        assertThat(Files.readString(settings().liveFile())).isEqualTo(live);
        assertThat(Files.readString(file)).isEqualTo(ConfigRenderer.render(settings(), List.of(WEB_TWINS)));
        assertThat(applier.store().latestApplied()).map(VersionRecord::version).contains(1L);
    }

    @Test
    void theSameSnapshotsGiveNoNewVersionEvenAfterARestart() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());
        applier.apply(List.of(WEB_1));

        assertThat(applier.apply(List.of(WEB_1))).isEmpty();
        assertThat(ConfigApplier.create(settings()).apply(List.of(WEB_1))).isEmpty();
        assertThat(applier.apply(List.of(WEB_2))).map(VersionRecord::version).contains(2L);
        assertThat(applier.store().versions()).containsExactly(1L, 2L);
    }

    @Test
    void finishesAVersionThatACrashLeftWithoutManifest() throws IOException {
        TestSupport.assumeHaproxy();
        VersionStore.open(settings().versionsDir()).add(ConfigRenderer.render(settings(), List.of(WEB_1)));

        Optional<VersionRecord> record = ConfigApplier.create(settings()).apply(List.of(WEB_1));

        assertThat(record).map(VersionRecord::version).contains(1L);
        assertThat(record).map(VersionRecord::status).contains(VersionRecord.APPLIED);
        assertThat(Files.readString(settings().liveFile())).isEqualTo(ConfigRenderer.render(settings(), List.of(WEB_1)));
    }

    @Test
    void abandonsAnUnfinishedVersionOnceTheConfigHasChanged() throws IOException {
        TestSupport.assumeHaproxy();
        String stale = ConfigRenderer.render(settings(), List.of(WEB_1));
        VersionStore.open(settings().versionsDir()).add(stale);
        ConfigApplier applier = ConfigApplier.create(settings());

        VersionRecord record = applier.apply(List.of(WEB_2)).orElseThrow();

        assertThat(record.version()).isEqualTo(2);
        assertThat(applier.store().manifest(1)).contains(new VersionRecord(1, "haproxy-1", Sha256.hex(stale), "",
                Map.of(), Map.of(), VersionRecord.REJECTED, "abandoned: the builder stopped before deciding it"));
    }

    @Test
    void aMissingHaproxyRejectsEveryVersionWhileValidationIsOn() throws IOException {
        ConfigApplier applier = ConfigApplier.create(settings().withHaproxyBinary("/nonexistent/haproxy"));

        VersionRecord record = applier.apply(List.of(WEB_1)).orElseThrow();

        assertThat(record.status()).isEqualTo(VersionRecord.REJECTED);
        assertThat(record.reason()).isEqualTo("cannot run /nonexistent/haproxy: Cannot run program "
                + "\"/nonexistent/haproxy\": error=2, No such file or directory");
        assertThat(settings().liveFile()).doesNotExist();
    }

    @Test
    void activatesUncheckedWhenValidationIsOff() throws IOException {
        ConfigApplier applier = ConfigApplier.create(settings().withHaproxyBinary("/nonexistent/haproxy").withValidate(false));

        VersionRecord record = applier.apply(List.of(WEB_1)).orElseThrow();

        assertThat(record.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(record.reason()).isEqualTo("not validated: validate is off");
        assertThat(settings().liveFile()).hasContent(ConfigRenderer.render(settings(), List.of(WEB_1)));
    }

    @Test
    void recordsThatHaproxyWasNotRunningWhenThereIsNoMasterSocketYet() throws IOException {
        TestSupport.assumeHaproxy();
        Path socket = workDir.resolve("master.sock");
        ConfigApplier applier = ConfigApplier.create(settings().withMasterSocket(socket));

        VersionRecord record = applier.apply(List.of(WEB_1)).orElseThrow();

        assertThat(record.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(record.reason()).isEqualTo("not reloaded: HAProxy is not running (no master socket at " + socket + ")");
        assertThat(applier.reloadPending()).isTrue();
        assertThat(applier.retryPendingReload()).as("still no socket").isEmpty();
    }

    @Test
    void anOperatorActivationCopiesAnOlderVersionAndHoldsUntilTheRenderedConfigChanges() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());
        VersionRecord first = applier.apply(List.of(WEB_1)).orElseThrow();
        applier.apply(List.of(WEB_2));

        VersionRecord pinned = applier.activateVersion(1).orElseThrow();

        assertThat(pinned).isEqualTo(new VersionRecord(3, "haproxy-1", first.sha256(), first.templateSha256(),
                first.poolVersions(), first.through(), VersionRecord.APPLIED, "operator activation of version 1",
                first.render(), VersionRecord.BY_FILE, List.of(), VersionRecord.OPERATOR, 1, 0));
        assertThat(settings().liveFile()).hasContent(applier.store().text(1));
        assertThat(applier.store().text(3)).isEqualTo(applier.store().text(1));
        assertThat(applier.activateVersion(1)).as("already live").isEmpty();
        assertThat(applier.apply(List.of(WEB_2))).as("nothing changed since the builder's own version 2").isEmpty();
        assertThat(ConfigApplier.create(settings()).apply(List.of(WEB_2))).as("nor after a restart").isEmpty();
        assertThat(settings().liveFile()).hasContent(applier.store().text(1));

        VersionRecord next = applier.apply(List.of(WEB_4)).orElseThrow();

        assertThat(next.version()).isEqualTo(4);
        assertThat(next.origin()).isEqualTo(VersionRecord.BUILDER);
        assertThat(settings().liveFile()).hasContent(ConfigRenderer.render(settings(), List.of(WEB_4)));
    }

    @Test
    void refusesToActivateAVersionThatDoesNotExistOrThatHaproxyRejects() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());
        applier.apply(List.of(WEB_1));
        applier.apply(List.of(WEB_TWINS));

        assertThatThrownBy(() -> applier.activateVersion(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there is no version 7 in " + settings().versionsDir());
        assertThatThrownBy(() -> applier.activateVersion(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("version 2 does not pass haproxy -c now: [ALERT]");
        assertThat(applier.store().versions()).containsExactly(1L, 2L);
    }

    @Test
    void restoresTheNewestAppliedVersionOverAnEditedLiveFile() throws IOException {
        TestSupport.assumeHaproxy();
        ConfigApplier applier = ConfigApplier.create(settings());
        applier.apply(List.of(WEB_1));
        applier.apply(List.of(WEB_TWINS));
        Files.writeString(settings().liveFile(), "edited by hand\n");

        assertThat(applier.restoreLiveFile()).hasValue(1);
        assertThat(settings().liveFile()).hasContent(ConfigRenderer.render(settings(), List.of(WEB_1)));
        assertThat(applier.restoreLiveFile()).isEmpty();
    }
}
