package dev.roster.config;

import dev.roster.core.PoolSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One step from pool snapshots to a running config, without Kafka: render; if the text differs from
 * the latest version, write it as a new version; validate it with {@code haproxy -c}; if valid, make it
 * the live file and reload HAProxy; record the outcome in the version's manifest.
 * {@link ConfigBuilder} calls it for every coalesced burst of snapshots. Not thread-safe: one caller.
 */
public final class ConfigApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);

    private final ConfigBuilderSettings settings;
    private final ConfigRenderer renderer;
    private final VersionStore store;
    private final HaproxyValidator validator;
    private final LiveFile liveFile;
    private final Optional<MasterCli> masterCli;
    private boolean reloadPending;

    public ConfigApplier(ConfigBuilderSettings settings, ConfigRenderer renderer, VersionStore store,
                         HaproxyValidator validator, LiveFile liveFile, Optional<MasterCli> masterCli) {
        this.settings = settings;
        this.renderer = renderer;
        this.store = store;
        this.validator = validator;
        this.liveFile = liveFile;
        this.masterCli = masterCli;
    }

    /** The applier {@code settings} describe: its template, {@code workDir/versions}, live file and master socket. */
    public static ConfigApplier create(ConfigBuilderSettings settings) throws IOException {
        return new ConfigApplier(settings, ConfigRenderer.forSettings(settings), VersionStore.open(settings.versionsDir()),
                HaproxyValidator.forSettings(settings), new LiveFile(settings.liveFile()),
                settings.masterSocket().map(socket -> new MasterCli(socket, settings.reloadTimeout())));
    }

    public VersionStore store() {
        return store;
    }

    public ConfigRenderer renderer() {
        return renderer;
    }

    public LiveFile liveFile() {
        return liveFile;
    }

    /**
     * Renders {@code pools} and, if that gives a new text, takes it through validation and activation.
     *
     * @return the new version's record, or empty when the text equals the latest version's (nothing
     *         to do)
     * @throws IOException if a version, its manifest or the live file cannot be written
     */
    public Optional<VersionRecord> apply(Collection<PoolSnapshot> pools) throws IOException {
        ConfigModel model = ConfigModel.of(settings, pools);
        String text = renderer.render(model);
        OptionalLong latest = store.latestVersion();
        if (latest.isPresent() && !store.hasManifest(latest.getAsLong())) {
            long orphan = latest.getAsLong();
            if (text.equals(store.text(orphan))) {
                // A crash came between writing this version and deciding on it: finish it now.
                LOG.info("finishing version {}, written before the last stop but never validated", orphan);
                return Optional.of(decide(orphan, text, model));
            }
            abandon(orphan);
        }
        OptionalLong added = store.add(text);
        if (added.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decide(added.getAsLong(), text, model));
    }

    /**
     * Makes sure the live file holds the newest applied version, as it may not after a crash or a hand
     * edit: restores it (and reloads) if it differs. Does nothing while no version was ever applied.
     *
     * @return the version restored, or empty when the live file was already right
     */
    public OptionalLong restoreLiveFile() throws IOException {
        Optional<VersionRecord> applied = store.latestApplied();
        if (applied.isEmpty()) {
            return OptionalLong.empty();
        }
        long version = applied.get().version();
        String text = store.text(version);
        if (liveFile.read().filter(text::equals).isPresent()) {
            return OptionalLong.empty();
        }
        LOG.warn("live file {} is not version {}, the newest applied one: restoring it", liveFile, version);
        liveFile.activate(text);
        reload();
        return OptionalLong.of(version);
    }

    /** Whether a reload was skipped or failed since the last version was made live. */
    public boolean reloadPending() {
        return reloadPending;
    }

    /**
     * Retries a pending reload if HAProxy's master socket now exists (for example HAProxy was started
     * after the builder). Returns the outcome, or empty if nothing was pending or HAProxy is still absent.
     */
    public Optional<MasterCli.ReloadResult> retryPendingReload() {
        if (!reloadPending || masterCli.isEmpty() || !Files.exists(masterCli.get().socket())) {
            return Optional.empty();
        }
        MasterCli.ReloadResult result = masterCli.get().reload(settings.reloadTimeout());
        if (result.succeeded()) {
            reloadPending = false;
            LOG.info("pending reload done: {}", result.message());
        }
        return Optional.of(result);
    }

    private VersionRecord decide(long version, String text, ConfigModel model) throws IOException {
        String status;
        String reason;
        if (settings.validate()) {
            long start = System.nanoTime();
            HaproxyValidator.Result check = validator.validate(store.configFile(version));
            LOG.debug("haproxy -c on version {} took {} ms", version, (System.nanoTime() - start) / 1_000_000);
            if (check.valid()) {
                status = VersionRecord.APPLIED;
                reason = "";
            } else {
                status = VersionRecord.REJECTED;
                reason = check.message();
            }
        } else {
            status = VersionRecord.APPLIED;
            reason = "not validated: validate is off";
        }
        if (status.equals(VersionRecord.APPLIED)) {
            liveFile.activate(text);
            String reloadProblem = reload();
            if (!reloadProblem.isEmpty()) {
                reason = reason.isEmpty() ? reloadProblem : reason + "; " + reloadProblem;
            }
            LOG.info("version {} applied: {} is live{}", version, liveFile, reason.isEmpty() ? "" : " (" + reason + ")");
        } else {
            LOG.error("version {} rejected by haproxy -c, the live file is unchanged: {}", version, reason);
        }
        VersionRecord record = new VersionRecord(version, settings.instanceId(), Sha256.hex(text),
                renderer.templateSha256(), model.poolVersions(), model.through(), status, reason);
        store.writeManifest(record);
        return record;
    }

    /** @return empty when HAProxy reloaded (or no reload is configured), otherwise what went wrong */
    private String reload() {
        if (masterCli.isEmpty()) {
            return "";
        }
        MasterCli cli = masterCli.get();
        if (!Files.exists(cli.socket())) {
            reloadPending = true;
            LOG.warn("HAProxy is not running (no master socket at {}): it will read {} when it starts",
                    cli.socket(), liveFile);
            return "not reloaded: HAProxy is not running (no master socket at " + cli.socket() + ")";
        }
        MasterCli.ReloadResult result = cli.reload(settings.reloadTimeout());
        if (result.succeeded()) {
            reloadPending = false;
            LOG.info("HAProxy reloaded in {} ms: {}", result.took().toMillis(), result.message());
            return "";
        }
        reloadPending = true;
        LOG.error("HAProxy reload failed: {}", result.message());
        return result.message();
    }

    /** A version left without a manifest whose text is no longer wanted: recorded as rejected, never live. */
    private void abandon(long version) throws IOException {
        String text = store.text(version);
        LOG.warn("version {} was written before the last stop but never validated, and the config has changed since:"
                + " recording it as rejected", version);
        store.writeManifest(new VersionRecord(version, settings.instanceId(), Sha256.hex(text), "", Map.of(), Map.of(),
                VersionRecord.REJECTED, "abandoned: the builder stopped before validating it"));
    }
}
