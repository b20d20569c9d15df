package dev.roster.config;

import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One step from pool snapshots to a running config, without Kafka: render; if the text differs from
 * what was last rendered, write it as a new version; validate it with {@code haproxy -c}; make it live;
 * record the outcome in the version's manifest. {@link ConfigBuilder} calls it for every coalesced
 * burst of snapshots. Not thread-safe: one caller.
 *
 * <p>Making a version live takes one of two ways:
 * <ul>
 * <li><b>runtime API</b>, when the new text differs from the live one only in what HAProxy can change
 *     while running (servers added or deleted in existing backends, a member's drain state, weight, or IP
 *     address and port; see {@link RuntimePlan}): the changes go through the stats socket at once
 *     ({@code add server}, {@code del server}, {@code set server …}), then the live file is replaced so that
 *     a later reload keeps them. No reload.</li>
 * <li><b>reload</b> otherwise: the servers HAProxy runs are first brought in line with the new config
 *     through the runtime API, their state is saved to the server-state file (the new worker loads it),
 *     the live file is replaced and HAProxy reloads through its master CLI. If the reload fails, the
 *     newest applied version goes live again (file and reload), and the failed version is recorded as
 *     rejected, saying so.</li>
 * </ul>
 */
public final class ConfigApplier {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigApplier.class);
    private static final Duration RUNTIME_TIMEOUT = Duration.ofSeconds(5);

    private final ConfigBuilderSettings settings;
    private final ConfigRenderer renderer;
    private final VersionStore store;
    private final HaproxyValidator validator;
    private final LiveFile liveFile;
    private final Optional<MasterCli> masterCli;
    private final Optional<RuntimeApi> runtimeApi;
    private final ServerStateFile stateFile;
    private final FaultPoints faults;
    private boolean reloadPending;
    /** How long the reload of the version decided last took; null when it was not reloaded. */
    private Duration lastReload;
    private boolean templateStored;
    /** When this applier last had HAProxy reload ({@link System#nanoTime()}); empty if it never did. */
    private OptionalLong lastReloadAt = OptionalLong.empty();
    /** The text this builder rendered last (or, at start, the newest version it rendered); null if none. */
    private String lastRendered;
    /** The model of the live version when this applier made it live; null when unknown. */
    private ConfigModel liveModel;
    private String liveText;

    public ConfigApplier(ConfigBuilderSettings settings, ConfigRenderer renderer, VersionStore store,
                         HaproxyValidator validator, LiveFile liveFile, Optional<MasterCli> masterCli,
                         Optional<RuntimeApi> runtimeApi, FaultPoints faults) throws IOException {
        this.settings = settings;
        this.renderer = renderer;
        this.store = store;
        this.validator = validator;
        this.liveFile = liveFile;
        this.masterCli = masterCli;
        this.runtimeApi = runtimeApi;
        this.stateFile = new ServerStateFile(settings.serverStateFile());
        this.faults = faults;
        this.lastRendered = store.newestBuilderText().orElse(null);
        liveFile.removeLeftovers();
        stateFile.ensureExists();
    }

    /** The applier {@code settings} describe: its template, {@code workDir/versions}, live file and sockets. */
    public static ConfigApplier create(ConfigBuilderSettings settings) throws IOException {
        return create(settings, FaultPoints.NONE);
    }

    /** As {@link #create(ConfigBuilderSettings)}, reporting each activation step to {@code faults}. */
    public static ConfigApplier create(ConfigBuilderSettings settings, FaultPoints faults) throws IOException {
        return new ConfigApplier(settings, ConfigRenderer.forSettings(settings), VersionStore.open(settings.versionsDir()),
                HaproxyValidator.forSettings(settings), new LiveFile(settings.liveFile(), faults),
                settings.masterSocket().map(socket -> new MasterCli(socket, settings.reloadTimeout())),
                settings.statsSocket().map(socket -> new RuntimeApi(socket, RUNTIME_TIMEOUT)), faults);
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
     * Renders {@code pools} and, if that gives a text other than the one rendered last, takes it through
     * validation and activation as a new version.
     *
     * <p>"Rendered last" is what this builder rendered, not an operator's copy: after
     * {@link #activateVersion(long)} pinned an older version, the pin stays until a render differs from the
     * builder's own newest version, that is until the next change that shows in the config.
     *
     * @return the new version's record, or empty when there is nothing new to make live
     * @throws IOException if a version, its manifest or the live file cannot be written
     */
    public Optional<VersionRecord> apply(Collection<PoolSnapshot> pools) throws IOException {
        return apply(pools, true).version();
    }

    /**
     * What {@link #apply(Collection, boolean)} came to.
     *
     * @param version        the new version's record, or empty when there is nothing new to make live, or
     *                       when it waits for a reload
     * @param waitsForReload whether the new text needs a reload that was not allowed: nothing was written,
     *                       and the same call with reloads allowed will make it a version
     */
    public record Attempt(Optional<VersionRecord> version, boolean waitsForReload) {
        static final Attempt NOTHING = new Attempt(Optional.empty(), false);
    }

    /**
     * As {@link #apply(Collection)}, but when {@code mayReload} is false a text that only a reload can make
     * live is left for later: changes the runtime API can carry (joins, leaves, drains, weights, addresses)
     * go live at once, and reloads can be spaced out without holding those back.
     *
     * @throws IOException if a version, its manifest or the live file cannot be written
     */
    public Attempt apply(Collection<PoolSnapshot> pools, boolean mayReload) throws IOException {
        lastReload = null;
        ConfigModel model = ConfigModel.of(settings, pools);
        String text = renderer.render(model);
        OptionalLong latest = store.latestVersion();
        if (latest.isPresent() && !store.hasManifest(latest.getAsLong())) {
            long orphan = latest.getAsLong();
            if (text.equals(store.text(orphan))) {
                // A crash came between writing this version and deciding on it: finish it now.
                LOG.info("finishing version {}, written before the last stop but never decided", orphan);
                lastRendered = text;
                return new Attempt(Optional.of(decide(orphan, text, model, Optional.empty())), false);
            }
            abandon(orphan);
        }
        if (text.equals(lastRendered)) {
            return Attempt.NOTHING;
        }
        Optional<RuntimePlan> plan = runtimePlan(model, text);
        if (plan.isEmpty() && !mayReload) {
            return new Attempt(Optional.empty(), true);
        }
        lastRendered = text;
        OptionalLong added = store.add(text);
        if (added.isEmpty()) {
            // The latest version (an operator's pin) has this very text already: nothing to change.
            return Attempt.NOTHING;
        }
        return new Attempt(Optional.of(decide(added.getAsLong(), text, model, plan)), false);
    }

    /**
     * An operator's rollback: makes the text of version {@code source} live again as a new version (its
     * manifest says {@code origin: operator}, {@code sourceVersion: source}), through validation and a
     * reload like any other. The builder keeps building: its next version comes with the next change that
     * shows in the rendered config.
     *
     * @return the new version's record, or empty when the live file already holds that text in the newest
     *         applied version (nothing to do)
     * @throws IllegalArgumentException if there is no such version
     * @throws IllegalStateException    if {@code haproxy -c} refuses it now
     */
    public Optional<VersionRecord> activateVersion(long source) throws IOException {
        lastReload = null;
        if (!store.versions().contains(source)) {
            throw new IllegalArgumentException("there is no version " + source + " in " + store.dir());
        }
        VersionRecord original = store.manifest(source).orElseThrow(() -> new IllegalArgumentException(
                "version " + source + " has no manifest yet (it is being decided); try again"));
        String text = store.text(source);
        Optional<VersionRecord> newestApplied = store.latestApplied();
        if (newestApplied.isPresent() && newestApplied.get().sha256().equals(Sha256.hex(text))
                && liveFile.read().filter(text::equals).isPresent() && !reloadPending) {
            return Optional.empty();
        }
        if (settings.validate()) {
            HaproxyValidator.Result check = validator.validate(store.configFile(source));
            if (!check.valid()) {
                throw new IllegalStateException("version " + source + " does not pass haproxy -c now: "
                        + check.message().replaceAll("\\s+", " "));
            }
        }
        long version = store.addCopy(text);
        faults.reached(FaultPoints.Step.VERSION_WRITTEN);
        faults.reached(FaultPoints.Step.VALIDATED);
        Outcome outcome = activate(version, text, null, Optional.empty());
        String reason = "operator activation of version " + source + (outcome.reason().isEmpty() ? "" : "; " + outcome.reason());
        VersionRecord record = new VersionRecord(version, settings.instanceId(), original.sha256(),
                original.templateSha256(), original.poolVersions(), original.through(), outcome.status(), reason,
                original.render(), outcome.activation(), outcome.commands(), VersionRecord.OPERATOR, source,
                outcome.rolledBackTo());
        writeManifest(record);
        LOG.info("version {} ({}): {}", version, record.status(), reason);
        return Optional.of(record);
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
        liveModel = null;
        return OptionalLong.of(version);
    }

    /** Whether a reload was skipped or failed since the last version was made live. */
    /** How long HAProxy's reload with the version decided last took; empty when it went live without one. */
    public Optional<Duration> lastReload() {
        return Optional.ofNullable(lastReload);
    }

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
        MasterCli.ReloadResult result = reloadHaproxy();
        if (result.succeeded()) {
            reloadPending = false;
            LOG.info("pending reload done: {}", result.message());
        }
        return Optional.of(result);
    }

    private VersionRecord decide(long version, String text, ConfigModel model, Optional<RuntimePlan> plan)
            throws IOException {
        faults.reached(FaultPoints.Step.VERSION_WRITTEN);
        String templateSha256 = storeTemplate();
        Outcome outcome;
        String check = validate(version);
        if (check != null) {
            LOG.error("version {} rejected by haproxy -c, the live file is unchanged: {}", version, check);
            outcome = new Outcome(VersionRecord.REJECTED, check, VersionRecord.NOT_ACTIVATED, List.of(), 0);
        } else {
            faults.reached(FaultPoints.Step.VALIDATED);
            outcome = activate(version, text, model, plan);
            if (!settings.validate()) {
                outcome = outcome.withNote("not validated: validate is off");
            }
        }
        VersionRecord record = new VersionRecord(version, settings.instanceId(), Sha256.hex(text), templateSha256,
                model.poolVersions(), model.through(), outcome.status(), outcome.reason(), model.parameters(),
                outcome.activation(), outcome.commands(), VersionRecord.BUILDER, 0, outcome.rolledBackTo());
        writeManifest(record);
        return record;
    }

    /** @return null when the version may go live, otherwise why not (HAProxy's own message) */
    private String validate(long version) {
        if (!settings.validate()) {
            return null;
        }
        long start = System.nanoTime();
        HaproxyValidator.Result check = validator.validate(store.configFile(version));
        LOG.debug("haproxy -c on version {} took {} ms", version, (System.nanoTime() - start) / 1_000_000);
        return check.valid() ? null : check.message();
    }

    /** What making a version live came to. */
    private record Outcome(String status, String reason, String activation, List<String> commands, long rolledBackTo) {
        Outcome withNote(String note) {
            return new Outcome(status, join(note, reason), activation, commands, rolledBackTo);
        }
    }

    /**
     * Makes {@code text} live: through the runtime API alone when {@code plan} says how, otherwise with a
     * reload (and a rollback if that fails).
     *
     * @param model the model it was rendered from, or null when unknown (an operator's copy)
     * @param plan  how to make it live without a reload, if it can be
     */
    private Outcome activate(long version, String text, ConfigModel model, Optional<RuntimePlan> plan)
            throws IOException {
        List<String> sent = new ArrayList<>();
        String note = "";
        if (model != null && plan.isPresent()) {
            RuntimeApi api = runtimeApi.orElseThrow();
            List<String> membership = plan.get().membershipCommands();
            sent.addAll(membership);
            Optional<String> problem = api.apply(membership);
            if (problem.isEmpty()) {
                try {
                    List<String> settled = commandsToMatch(api.showServersState(), model);
                    sent.addAll(settled);
                    problem = api.apply(settled);
                } catch (IOException e) {
                    problem = Optional.of("show servers state failed: " + e.getMessage());
                }
            }
            if (problem.isEmpty()) {
                liveFile.activate(text);
                faults.reached(FaultPoints.Step.RELOADED);
                live(model, text);
                LOG.info("version {} applied through the runtime API, no reload: {}", version, summary(sent));
                return new Outcome(VersionRecord.APPLIED, "", VersionRecord.BY_RUNTIME_API, sent, 0);
            }
            note = "the runtime API refused a change (" + problem.get() + "): reloaded instead";
            LOG.warn("version {}: {}", version, note);
        }
        if (masterCli.isEmpty()) {
            liveFile.activate(text);
            live(model, text);
            LOG.info("version {} applied: {} is live (no master socket configured: HAProxy is not reloaded)",
                    version, liveFile);
            return new Outcome(VersionRecord.APPLIED, note, VersionRecord.BY_FILE, sent, 0);
        }
        MasterCli cli = masterCli.get();
        if (!Files.exists(cli.socket())) {
            liveFile.activate(text);
            live(model, text);
            reloadPending = true;
            LOG.warn("version {} applied, but HAProxy is not running (no master socket at {}): it will read {} when"
                    + " it starts", version, cli.socket(), liveFile);
            return new Outcome(VersionRecord.APPLIED, join(note, "not reloaded: HAProxy is not running (no master socket at "
                    + cli.socket() + ")"), VersionRecord.BY_FILE, sent, 0);
        }
        sent.addAll(saveServerState(model));
        faults.reached(FaultPoints.Step.STATE_SAVED);
        liveFile.activate(text);
        MasterCli.ReloadResult reload = reloadHaproxy();
        faults.reached(FaultPoints.Step.RELOADED);
        if (reload.succeeded()) {
            reloadPending = false;
            lastReload = reload.took();
            live(model, text);
            LOG.info("version {} applied: HAProxy reloaded in {} ms ({})", version, reload.took().toMillis(),
                    reload.message());
            return new Outcome(VersionRecord.APPLIED, note, VersionRecord.BY_RELOAD, sent, 0);
        }
        return rollBack(version, reload, note, sent);
    }

    /** HAProxy did not reload with a version: the newest applied version goes live again. */
    private Outcome rollBack(long version, MasterCli.ReloadResult failed, String note, List<String> sent)
            throws IOException {
        Optional<VersionRecord> good = store.latestApplied();
        if (good.isEmpty()) {
            reloadPending = true;
            String reason = join(note, failed.message() + "; no earlier applied version to go back to");
            LOG.error("version {}: {}", version, reason);
            return new Outcome(VersionRecord.REJECTED, reason, VersionRecord.BY_RELOAD, sent, 0);
        }
        long target = good.get().version();
        String text = store.text(target);
        liveFile.activate(text);
        MasterCli.ReloadResult again = reloadHaproxy();
        String reason;
        if (again.succeeded()) {
            reloadPending = false;
            reason = failed.message() + "; rolled back to version " + target;
        } else {
            reloadPending = true;
            reason = failed.message() + "; rolled back to version " + target + ", but that reload failed too: "
                    + again.message();
        }
        reason = join(note, reason);
        // The live model stays what it was: the version gone back to is the one that was live before.
        LOG.error("version {} did not go live: {}", version, reason);
        return new Outcome(VersionRecord.REJECTED, reason, VersionRecord.BY_RELOAD, sent, target);
    }

    private void live(ConfigModel model, String text) {
        liveModel = model;
        liveText = model == null ? null : text;
    }

    /**
     * How {@code text}, rendered from {@code model}, can go live through the runtime API alone (see
     * {@link RuntimePlan}); empty when it needs a reload, or when what HAProxy runs is not known for sure
     * (after a start, an operator's activation, or a reload still pending).
     */
    private Optional<RuntimePlan> runtimePlan(ConfigModel model, String text) {
        if (liveModel == null || liveText == null || reloadPending || runtimeApi.isEmpty() || masterCli.isEmpty()
                || !runtimeApi.get().present()) {
            return Optional.empty();
        }
        return RuntimePlan.between(liveModel, liveText, model, text);
    }

    /**
     * The runtime commands that make the servers HAProxy runs (as {@code dump} shows them) match how
     * {@code model} renders them: backend = pool, server = member, as the default template names them.
     */
    private static List<String> commandsToMatch(String dump, ConfigModel model) {
        Map<String, Member> wanted = RuntimePlan.members(model);
        List<String> commands = new ArrayList<>();
        for (ServerStates.Server server : ServerStates.parse(dump)) {
            Member member = wanted.get(server.backend() + "/" + server.server());
            if (member != null) {
                commands.addAll(ServerStates.commandsFor(server.backend(), server, member));
            }
        }
        return commands;
    }

    /**
     * Before a reload: brings the running servers in line with {@code model} through the runtime API
     * (so that, for example, a member that stopped draining is not loaded as drained), then saves
     * {@code show servers state} to the server-state file, leaving out the servers of a pool whose member
     * is gone or sits at another address or port now (their old state says nothing about the new
     * endpoint, and HAProxy would take the old port from the file). Best effort: without a runtime API
     * the reload still happens, without state.
     *
     * @param model the model going live, or null when unknown (the state is then saved as it is)
     * @return the commands sent
     */
    private List<String> saveServerState(ConfigModel model) {
        if (runtimeApi.isEmpty() || !runtimeApi.get().present()) {
            LOG.debug("no runtime API socket: reloading without saving server state");
            return List.of();
        }
        RuntimeApi api = runtimeApi.get();
        List<String> commands = List.of();
        try {
            String dump = api.showServersState();
            if (model != null) {
                commands = commandsToMatch(dump, model);
                if (!commands.isEmpty()) {
                    api.apply(commands).ifPresent(problem ->
                            LOG.warn("bringing servers in line before the reload: {}", problem));
                    dump = api.showServersState();
                }
                Map<String, Member> wanted = RuntimePlan.members(model);
                java.util.Set<String> pools = new java.util.HashSet<>();
                model.pools().forEach(p -> pools.add(p.pool()));
                dump = ServerStates.filter(dump, server -> {
                    if (!pools.contains(server.backend())) {
                        return true;
                    }
                    Member member = wanted.get(server.backend() + "/" + server.server());
                    return member != null && member.port() == server.port()
                            && (!ServerStates.isIpLiteral(member.address()) || member.address().equals(server.address()));
                });
            }
            stateFile.save(dump);
        } catch (IOException e) {
            LOG.warn("server state not saved before the reload ({}): servers start fresh", e.getMessage());
        }
        return commands;
    }

    private String storeTemplate() throws IOException {
        if (!templateStored) {
            store.storeTemplate(renderer.templateText());
            templateStored = true;
        }
        return renderer.templateSha256();
    }

    private void writeManifest(VersionRecord record) throws IOException {
        store.writeManifest(record);
        faults.reached(FaultPoints.Step.MANIFEST_WRITTEN);
    }

    /** @return empty when HAProxy reloaded (or no reload is configured), otherwise what went wrong */
    private String reload() {
        if (masterCli.isEmpty()) {
            return "";
        }
        MasterCli cli = masterCli.get();
        if (!Files.exists(cli.socket())) {
            reloadPending = true;
            return "not reloaded: HAProxy is not running (no master socket at " + cli.socket() + ")";
        }
        MasterCli.ReloadResult result = reloadHaproxy();
        reloadPending = !result.succeeded();
        if (!result.succeeded()) {
            LOG.error("HAProxy reload failed: {}", result.message());
            return result.message();
        }
        return "";
    }

    /** Reloads HAProxy through its master CLI (which must be configured), noting when. */
    private MasterCli.ReloadResult reloadHaproxy() {
        lastReloadAt = OptionalLong.of(System.nanoTime());
        return masterCli.orElseThrow().reload(settings.reloadTimeout());
    }

    /**
     * When this applier last had HAProxy reload, in {@link System#nanoTime()} terms; empty if it never did.
     * {@link ConfigBuilder} spaces reloads out by it.
     */
    public OptionalLong lastReloadAt() {
        return lastReloadAt;
    }

    /** A version left without a manifest whose text is no longer wanted: recorded as rejected, never live. */
    private void abandon(long version) throws IOException {
        String text = store.text(version);
        LOG.warn("version {} was written before the last stop but never decided, and the config has changed since:"
                + " recording it as rejected", version);
        store.writeManifest(new VersionRecord(version, settings.instanceId(), Sha256.hex(text), "", Map.of(), Map.of(),
                VersionRecord.REJECTED, "abandoned: the builder stopped before deciding it"));
    }

    /** The commands for a log line: all of a few, the first ten and a count of many. */
    private static String summary(List<String> commands) {
        int shown = 10;
        return commands.size() <= shown ? commands.toString()
                : commands.subList(0, shown) + " and " + (commands.size() - shown) + " more";
    }

    private static String join(String first, String second) {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : first + "; " + second;
    }
}
