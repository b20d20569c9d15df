package dev.roster.bench;

import dev.roster.config.ConfigApplier;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.EventLogReader;
import dev.roster.config.LogReplay;
import dev.roster.config.Rebuilder;
import dev.roster.config.VersionRecord;
import dev.roster.config.VersionStore;
import dev.roster.core.PoolSnapshot;
import dev.roster.kafka.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Time to rebuild a config by replaying a log of --events events (roster rebuild --version N).")
final class RebuildBench implements Callable<Integer> {
    @Mixin
    EventLogOptions log;

    @Option(names = "--runs", defaultValue = "3", description = "Rebuilds to time (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        Path dir = Files.createTempDirectory("roster-bench-rebuild");
        try (EmbeddedKafka kafka = log.startWithLog(dir)) {

            // The version to rebuild: what the builder renders from the state at the end of the log.
            Map<String, LogReplay.Change> lastChange = new TreeMap<>();
            LogReplay replay = new LogReplay();
            try (EventLogReader reader = new EventLogReader(kafka.bootstrapServers(), Map.of(), line -> { })) {
                reader.read(reader.endOffsets(), (partition, offset, key, value) ->
                        replay.fold(partition, offset, key, value).ifPresent(c -> lastChange.put(c.pool(), c)));
            }
            Map<String, PoolSnapshot> latest = new TreeMap<>();
            lastChange.forEach((pool, change) -> latest.put(pool, change.snapshot()));
            ConfigBuilderSettings settings = ConfigBuilderSettings.defaults(kafka.bootstrapServers(), dir.resolve("haproxy"))
                    .withValidate(false);
            VersionRecord recorded = ConfigApplier.create(settings).apply(latest.values()).orElseThrow();
            int servers = latest.values().stream().mapToInt(p -> p.members().size()).sum();
            System.out.printf("  version %d recorded: %d pools, %d servers, sha256 %s%n", recorded.version(),
                    latest.size(), servers, recorded.sha256());

            Stats rebuild = new Stats("rebuild --version N, " + log.events + " events");
            for (int run = 1; run <= runs; run++) {
                long start = System.nanoTime();
                Rebuilder.Check check;
                try (EventLogReader reader = new EventLogReader(kafka.bootstrapServers(), Map.of(), line -> { })) {
                    check = new Rebuilder(VersionStore.open(settings.versionsDir()), reader)
                            .rebuildVersion(recorded.version());
                }
                long took = System.nanoTime() - start;
                if (!check.identical()) {
                    throw new IllegalStateException("rebuild differs from the recorded version: " + check.problem());
                }
                rebuild.addNanos(took);
                System.out.printf("run %d: rebuilt version %d, byte-identical, in %.2f s%n", run, recorded.version(),
                        took / 1e9);
            }
            System.out.println(rebuild.line());
        }
        return 0;
    }
}
