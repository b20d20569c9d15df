package dev.roster.cli;

import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.EventLogReader;
import dev.roster.config.Rebuilder;
import dev.roster.config.VersionStore;
import dev.roster.core.DedupWindow;
import dev.roster.core.PoolSnapshot;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "rebuild", description = "Render a recorded config version again from roster.events, with the "
        + "template and settings its manifest names, and check that it has the very same bytes.")
final class RebuildCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--work-dir", defaultValue = "${env:ROSTER_WORK_DIR:-.roster/haproxy}",
            description = "The config builder's folder, holding versions/ (default ${DEFAULT-VALUE}).")
    Path workDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--version", paramLabel = "N", description = "Rebuild version N and check its sha256.")
        Long version;

        @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
                description = "Rebuild the config as of an ISO-8601 instant, e.g. 2026-03-01T10:15:00Z.")
        Instant at;

        @Option(names = "--verify-all", description = "Rebuild every recorded version; a unified diff for each "
                + "one that differs, and a non-zero exit.")
        boolean verifyAll;
    }

    @Option(names = "--output", paramLabel = "FILE", description = "Write the config here instead of to stdout.")
    Path output;

    @Option(names = "--template-from-version", paramLabel = "N", description = "With --at: render with the "
            + "template and settings of version N (default: those of the version live then).")
    Long templateFrom;

    @Option(names = "--dedup-window", defaultValue = "${env:ROSTER_DEDUP_WINDOW:-PT24H}",
            description = "The history-api's --dedup-window: the replay ignores repeated event ids as the live fold "
                    + "did only with the same (env ROSTER_DEDUP_WINDOW; default ${DEFAULT-VALUE}).")
    Duration dedupWindow;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path versions = workDir.resolve(ConfigBuilderSettings.VERSIONS_DIR_NAME);
        if (!Files.isDirectory(versions)) {
            throw new IllegalArgumentException("work-dir " + workDir + " has no " + ConfigBuilderSettings.VERSIONS_DIR_NAME
                    + "/ folder: is it a config builder's work folder?");
        }
        if (templateFrom != null && mode.at == null) {
            throw new IllegalArgumentException("--template-from-version goes with --at only");
        }
        VersionStore store = VersionStore.open(versions);
        try (EventLogReader reader = new EventLogReader(kafka.bootstrapServer, kafka.clientProperties(),
                line -> err.println("rebuild: " + line))) {
            Rebuilder rebuilder = new Rebuilder(store, reader, new DedupWindow(dedupWindow));
            if (mode.verifyAll) {
                return verifyAll(rebuilder, store, out);
            }
            if (mode.version != null) {
                return version(rebuilder, store, mode.version, out, err);
            }
            return at(rebuilder, mode.at, out, err);
        }
    }

    private int version(Rebuilder rebuilder, VersionStore store, long version, PrintWriter out, PrintWriter err)
            throws IOException {
        Rebuilder.Check check = rebuilder.rebuildVersion(version);
        if (check.rebuilt() == null) {
            throw new IllegalStateException("version " + version + " cannot be rebuilt: " + check.problem());
        }
        write(check.rebuilt().text(), out);
        if (check.identical()) {
            err.println("version " + version + " rebuilt from roster.events: sha256 " + check.rebuilt().sha256()
                    + ", as in its manifest");
            return 0;
        }
        err.println("version " + version + " does not rebuild identically: sha256 " + check.rebuilt().sha256()
                + ", the manifest says " + check.expected());
        err.print(check.diff(store));
        err.flush();
        return 1;
    }

    private int at(Rebuilder rebuilder, Instant instant, PrintWriter out, PrintWriter err) throws IOException {
        Rebuilder.Rebuilt rebuilt = rebuilder.rebuildAt(instant,
                templateFrom == null ? OptionalLong.empty() : OptionalLong.of(templateFrom));
        write(rebuilt.text(), out);
        String pools = rebuilt.pools().isEmpty() ? "no pools" : rebuilt.pools().values().stream()
                .map(RebuildCommand::describe).collect(Collectors.joining(", "));
        OptionalLong same = rebuilder.versionWithSha256(rebuilt.sha256());
        err.println("as of " + instant + ": " + pools + "; rendered with the template and settings of version "
                + rebuilt.templateVersion() + "; " + (same.isPresent() ? "the same text as version " + same.getAsLong()
                : "no recorded version has this text") + " (sha256 " + rebuilt.sha256() + ")");
        return 0;
    }

    private int verifyAll(Rebuilder rebuilder, VersionStore store, PrintWriter out) throws IOException {
        List<Rebuilder.Check> checks = rebuilder.verifyAll();
        int identical = 0;
        int different = 0;
        int skipped = 0;
        for (Rebuilder.Check check : checks) {
            if (check.skipped()) {
                skipped++;
                out.println("version " + check.version() + ": skipped, " + check.problem());
            } else if (check.identical()) {
                identical++;
                out.println("version " + check.version() + ": identical (sha256 " + check.expected() + ")");
            } else {
                different++;
                out.println("version " + check.version() + ": DIFFERENT" + (check.problem().isEmpty() ? ""
                        : ", " + check.problem()));
                out.print(check.diff(store));
            }
        }
        out.println(checks.size() + " versions: " + identical + " identical, " + different + " different, "
                + skipped + " skipped");
        return different == 0 ? 0 : 1;
    }

    private static String describe(PoolSnapshot pool) {
        return "pool " + pool.pool() + " version " + pool.version() + (pool.through() == null ? ""
                : " (partition " + pool.through().partition() + " offset " + pool.through().offset() + ")");
    }

    private void write(String text, PrintWriter out) throws IOException {
        if (output == null) {
            out.print(text);
            out.flush();
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        }
    }
}
