package dev.roster.bench;

import dev.roster.cli.FreePort;
import dev.roster.config.ConfigApplier;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.HaproxyProcess;
import dev.roster.config.VersionRecord;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "render + haproxy -c + atomic activation + reload confirmed (or runtime API), for configs of"
                + " many sizes.")
final class ApplyBench implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "10,100,1000,10000",
            description = "Servers per config (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--runs", defaultValue = "10", description = "Versions applied per size and way: by reload, and"
            + " through the runtime API (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--per-pool", defaultValue = "0", description = "Servers per pool (backend); 0 puts them all "
            + "in one pool (default ${DEFAULT-VALUE}).")
    int perPool;

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        if (!HaproxyProcess.isInstalled("haproxy")) {
            throw new IllegalStateException("haproxy is not on the PATH (apt-get install haproxy)");
        }
        List<Stats> results = new ArrayList<>();
        for (int size : sizes) {
            Path dir = Files.createTempDirectory("roster-bench-apply");
            ConfigBuilderSettings settings = ConfigBuilderSettings.defaults("127.0.0.1:9", dir)
                    .withFrontend("127.0.0.1", FreePort.find())
                    .withMasterSocket(dir.resolve("master.sock"));
            ConfigApplier applier = ConfigApplier.create(settings);
            applier.apply(pools(size, 0));
            int pools = perPool <= 0 ? 1 : (size + perPool - 1) / perPool;
            String layout = size + " servers in " + pools + " pool" + (pools > 1 ? "s" : "");
            Stats reloaded = new Stats("apply " + layout + ", reload");
            Stats runtime = new Stats("apply " + layout + ", runtime API");
            try (HaproxyProcess haproxy = HaproxyProcess.start(settings)) {
                for (int run = 1; run <= 2 * runs; run++) {
                    boolean byReload = run % 2 == 1;
                    long start = System.nanoTime();
                    VersionRecord record = applier.apply(pools(size, run)).orElseThrow();
                    long took = System.nanoTime() - start;
                    String expected = byReload ? VersionRecord.BY_RELOAD : VersionRecord.BY_RUNTIME_API;
                    if (!record.applied() || !expected.equals(record.activation())) {
                        throw new IllegalStateException("version " + record.version() + " was not applied by "
                                + expected + ": " + record.status() + " " + record.activation() + " " + record.reason());
                    }
                    (byReload ? reloaded : runtime).addNanos(took);
                }
            }
            for (Stats stats : List.of(reloaded, runtime)) {
                System.out.println(stats.line());
                results.add(stats);
            }
        }
        System.out.println();
        results.forEach(s -> System.out.println(s.line()));
        return 0;
    }

    /**
     * {@code size} servers in pools of {@link #perPool}, plus one server that differs in every run: a join
     * (and the leave of the previous run's). In odd runs it joins at a host name, which only a reload
     * applies; in even runs at an IP address, which the runtime API adds without a reload.
     */
    private List<PoolSnapshot> pools(int size, int run) {
        int per = perPool <= 0 ? size : perPool;
        List<PoolSnapshot> pools = new ArrayList<>();
        for (int first = 0; first < size; first += per) {
            List<Member> members = new ArrayList<>();
            for (int i = first; i < Math.min(size, first + per); i++) {
                members.add(new Member("s" + i, "127.1." + (i >> 8 & 255) + "." + (i & 255), 9, 100, Map.of()));
            }
            if (first == 0) {
                members.add(new Member("joined-" + run, run % 2 == 1 ? "localhost" : "127.2.0.1", 9, 100, Map.of()));
            }
            pools.add(new PoolSnapshot(String.format("pool-%04d", first / per), run + 1, members,
                    new LogPosition(0, run), Instant.EPOCH.plusSeconds(run)));
        }
        return pools;
    }
}
