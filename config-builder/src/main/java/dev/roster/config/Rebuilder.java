package dev.roster.config;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.roster.core.DedupWindow;
import dev.roster.core.LogPosition;
import dev.roster.core.PoolSnapshot;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes recorded config versions again from the log: replays {@code roster.events} with {@link LogReplay}
 * (the same fold as history-api) up to the positions a manifest names, takes the snapshot of each pool
 * at its position, and renders them with the template kept under the manifest's {@code templateSha256}
 * and the manifest's render parameters. Nothing depends on the clock or on the builder's current settings,
 * so the text is byte for byte the recorded one.
 */
public final class Rebuilder {
    private final VersionStore store;
    private final EventSource events;
    private final DedupWindow window;

    /** @param window the history-api's dedup window: the replay decides as the live fold did only with the same */
    public Rebuilder(VersionStore store, EventSource events, DedupWindow window) {
        this.store = store;
        this.events = events;
        this.window = window;
    }

    public Rebuilder(VersionStore store, EventSource events) {
        this(store, events, DedupWindow.DEFAULT);
    }

    /**
     * A rebuilt config.
     *
     * @param text            the rendered config
     * @param sha256          its SHA-256
     * @param pools           the pool snapshots it was rendered from, by pool
     * @param templateVersion the version whose template and render parameters were used
     */
    public record Rebuilt(String text, String sha256, Map<String, PoolSnapshot> pools, long templateVersion) {
    }

    /**
     * How one recorded version compares with its rebuild.
     *
     * @param version  the version
     * @param expected the manifest's SHA-256
     * @param recorded the SHA-256 of the version's file as it is on disk now
     * @param rebuilt  the rebuild, or null when it could not be made (see {@code problem})
     * @param problem  why it could not be rebuilt or checked; empty when it was
     * @param skipped  whether its manifest does not say what it was made from (abandoned after a crash,
     *                 undecided, or written by an older builder), so there was nothing to check
     */
    public record Check(long version, String expected, String recorded, Rebuilt rebuilt, String problem,
                        boolean skipped) {
        /** Whether the rebuild has the manifest's digest and the very bytes of the version's file. */
        public boolean identical() {
            return problem.isEmpty() && rebuilt != null && rebuilt.sha256().equals(expected)
                    && rebuilt.sha256().equals(recorded);
        }

        /** The unified diff from the recorded text to the rebuilt one; empty when identical or not rebuilt. */
        public String diff(VersionStore store) throws IOException {
            if (rebuilt == null || identical()) {
                return "";
            }
            return Rebuilder.unifiedDiff(store.configFile(version).getFileName().toString(), store.text(version),
                    "rebuilt from roster.events", rebuilt.text());
        }
    }

    /** Where a pool's snapshot must come from. */
    private record Target(String pool, LogPosition position) {
    }

    /**
     * Rebuilds version {@code version}.
     *
     * @throws IllegalArgumentException if there is no such version, or its manifest does not say what it
     *                                  was made from, or the log does not hold what it names
     */
    public Check rebuildVersion(long version) throws IOException {
        VersionRecord manifest = rebuildableManifest(version);
        Map<Target, PoolSnapshot> found = collect(targets(List.of(manifest)));
        return check(manifest, found);
    }

    /**
     * Rebuilds every version whose manifest says what it was made from, reading the log once.
     *
     * @return one check per version, ascending; versions that cannot be rebuilt carry a problem
     */
    public List<Check> verifyAll() throws IOException {
        List<VersionRecord> manifests = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        for (long version : store.versions()) {
            Optional<VersionRecord> manifest = store.manifest(version);
            if (manifest.isEmpty()) {
                checks.add(new Check(version, "", recordedSha256(version), null,
                        "no manifest yet: the builder has not decided it", true));
            } else if (!manifest.get().rebuildable()) {
                checks.add(new Check(version, manifest.get().sha256(), recordedSha256(version), null,
                        notRebuildable(manifest.get()), true));
            } else {
                manifests.add(manifest.get());
            }
        }
        Map<Target, PoolSnapshot> found = collect(targets(manifests));
        for (VersionRecord manifest : manifests) {
            checks.add(check(manifest, found));
        }
        checks.sort((a, b) -> Long.compare(a.version(), b.version()));
        return checks;
    }

    /**
     * The config as of {@code at}: each pool as it was after its last change whose event time is at or
     * before {@code at}, rendered with the template and parameters of {@code templateFrom}, or by default
     * of the newest version built from no later log positions than those (the version that was live then,
     * unless the builder lagged), or else the oldest version.
     *
     * @throws IllegalArgumentException if no recorded version names a template
     */
    public Rebuilt rebuildAt(Instant at, OptionalLong templateFrom) throws IOException {
        Map<String, LogReplay.Change> changes = new TreeMap<>();
        LogReplay replay = new LogReplay(window);
        events.read(events.endOffsets(), (partition, offset, key, value) ->
                replay.fold(partition, offset, key, value).ifPresent(change -> {
                    if (!change.at().isAfter(at)) {
                        changes.put(change.pool(), change);
                    }
                }));
        Map<String, PoolSnapshot> state = new TreeMap<>();
        changes.forEach((pool, change) -> state.put(pool, change.snapshot()));
        VersionRecord template = templateFrom.isPresent() ? rebuildableManifest(templateFrom.getAsLong())
                : templateFor(state);
        return render(template, state, template.version());
    }

    /** Which recorded version has exactly this text, if any (the newest). */
    public OptionalLong versionWithSha256(String sha256) throws IOException {
        List<Long> versions = store.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<VersionRecord> manifest = store.manifest(versions.get(i));
            if (manifest.isPresent() && manifest.get().sha256().equals(sha256)) {
                return OptionalLong.of(versions.get(i));
            }
        }
        return OptionalLong.empty();
    }

    private VersionRecord templateFor(Map<String, PoolSnapshot> state) throws IOException {
        VersionRecord oldest = null;
        List<Long> versions = store.versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<VersionRecord> manifest = store.manifest(versions.get(i));
            if (manifest.isEmpty() || !manifest.get().rebuildable()) {
                continue;
            }
            oldest = manifest.get();
            if (!manifest.get().byOperator() && notLaterThan(manifest.get(), state)) {
                return manifest.get();
            }
        }
        if (oldest == null) {
            throw new IllegalArgumentException("no recorded version in " + store.dir()
                    + " names a template to render with");
        }
        return oldest;
    }

    private static boolean notLaterThan(VersionRecord manifest, Map<String, PoolSnapshot> state) {
        for (Map.Entry<String, LogPosition> entry : manifest.through().entrySet()) {
            PoolSnapshot snapshot = state.get(entry.getKey());
            if (snapshot == null || snapshot.through() == null
                    || snapshot.through().partition() != entry.getValue().partition()
                    || snapshot.through().offset() < entry.getValue().offset()) {
                return false;
            }
        }
        return true;
    }

    private VersionRecord rebuildableManifest(long version) throws IOException {
        if (!store.versions().contains(version)) {
            throw new IllegalArgumentException("there is no version " + version + " in " + store.dir());
        }
        VersionRecord manifest = store.manifest(version).orElseThrow(() -> new IllegalArgumentException(
                "version " + version + " has no manifest yet: the builder has not decided it"));
        if (!manifest.rebuildable()) {
            throw new IllegalArgumentException(notRebuildable(manifest));
        }
        for (String pool : manifest.poolVersions().keySet()) {
            if (!manifest.through().containsKey(pool)) {
                throw new IllegalArgumentException("version " + version + " cannot be rebuilt: pool " + pool
                        + " has no log position in its manifest");
            }
        }
        return manifest;
    }

    private static String notRebuildable(VersionRecord manifest) {
        return "version " + manifest.version() + " cannot be rebuilt: its manifest names no template and render "
                + "parameters (" + (manifest.reason().startsWith("abandoned") ? manifest.reason()
                : "written by an older builder") + ")";
    }

    private static Set<Target> targets(List<VersionRecord> manifests) {
        Set<Target> targets = new HashSet<>();
        for (VersionRecord manifest : manifests) {
            manifest.through().forEach((pool, position) -> targets.add(new Target(pool, position)));
        }
        return targets;
    }

    /** One pass over the log, up to the furthest target of each partition, keeping the targets' snapshots. */
    private Map<Target, PoolSnapshot> collect(Set<Target> targets) throws IOException {
        Map<Integer, Long> until = new TreeMap<>();
        for (Target target : targets) {
            until.merge(target.position().partition(), target.position().offset() + 1, Math::max);
        }
        if (until.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Long> ends = events.endOffsets();
        for (Map.Entry<Integer, Long> entry : until.entrySet()) {
            long end = ends.getOrDefault(entry.getKey(), -1L);
            if (end < entry.getValue()) {
                throw new IllegalArgumentException("roster.events " + (end < 0 ? "has no partition " + entry.getKey()
                        : "partition " + entry.getKey() + " ends at offset " + end) + ", but a version was built from "
                        + "offset " + (entry.getValue() - 1) + " of it: is this the cluster the builder used?");
            }
        }
        Map<Target, PoolSnapshot> found = new HashMap<>();
        LogReplay replay = new LogReplay(window);
        events.read(until, (partition, offset, key, value) -> replay.fold(partition, offset, key, value)
                .ifPresent(change -> {
                    Target target = new Target(change.pool(), change.through());
                    if (targets.contains(target)) {
                        found.put(target, change.snapshot());
                    }
                }));
        return found;
    }

    private String recordedSha256(long version) throws IOException {
        return Sha256.hex(store.text(version));
    }

    private Check check(VersionRecord manifest, Map<Target, PoolSnapshot> found) throws IOException {
        String recorded = recordedSha256(manifest.version());
        Map<String, PoolSnapshot> pools = new TreeMap<>();
        for (Map.Entry<String, LogPosition> entry : manifest.through().entrySet()) {
            LogPosition position = entry.getValue();
            PoolSnapshot snapshot = found.get(new Target(entry.getKey(), position));
            if (snapshot == null) {
                return new Check(manifest.version(), manifest.sha256(), recorded, null, "pool " + entry.getKey()
                        + ": no change of it at partition " + position.partition() + " offset " + position.offset()
                        + " of roster.events", false);
            }
            long expected = manifest.poolVersions().getOrDefault(entry.getKey(), -1L);
            if (snapshot.version() != expected) {
                return new Check(manifest.version(), manifest.sha256(), recorded, null, "pool " + entry.getKey()
                        + ": the log gives version " + snapshot.version() + " at partition " + position.partition()
                        + " offset " + position.offset() + ", the manifest says " + expected, false);
            }
            pools.put(entry.getKey(), snapshot);
        }
        return new Check(manifest.version(), manifest.sha256(), recorded, render(manifest, pools, manifest.version()), "", false);
    }

    private Rebuilt render(VersionRecord manifest, Map<String, PoolSnapshot> pools, long templateVersion)
            throws IOException {
        ConfigRenderer renderer = ConfigRenderer.fromText("template " + manifest.templateSha256(),
                store.template(manifest.templateSha256()));
        // Only the pools the builder served then: a log holds every pool, a builder may serve a few.
        ConfigModel model = ConfigModel.of(manifest.render(), pools.values());
        Map<String, PoolSnapshot> served = new TreeMap<>();
        model.pools().forEach(snapshot -> served.put(snapshot.pool(), snapshot));
        String text = renderer.render(model);
        return new Rebuilt(text, Sha256.hex(text), Map.copyOf(served), templateVersion);
    }

    /** A unified diff with three lines of context, as {@code diff -u} prints it. */
    static String unifiedDiff(String fromName, String from, String toName, String to) {
        List<String> original = List.of(from.split("\n", -1));
        List<String> revised = List.of(to.split("\n", -1));
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, original,
                DiffUtils.diff(original, revised), 3);
        return String.join("\n", lines) + "\n";
    }
}
