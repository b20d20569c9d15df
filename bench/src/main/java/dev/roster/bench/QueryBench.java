package dev.roster.bench;

import dev.roster.cli.FreePort;
import dev.roster.cli.Roster;
import dev.roster.kafka.EmbeddedKafka;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "queries", mixinStandardHelpOptions = true,
        description = "Latency of member-history and as-of queries, and memory of the history-api process, "
                + "on a log of --events events over --pools × --members members.")
final class QueryBench implements Callable<Integer> {
    @Mixin
    EventLogOptions log;

    @Option(names = "--queries", defaultValue = "2000", description = "Queries of each kind (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of the history-api process (default ${DEFAULT-VALUE}).")
    String heap;

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        Path dir = Files.createTempDirectory("roster-bench-queries");
        try (EmbeddedKafka kafka = log.startWithLog(dir)) {

            int port = FreePort.find();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process api = new ProcessBuilder(List.of(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                    Roster.class.getName(), "history-api", "--bootstrap-server", kafka.bootstrapServers(),
                    "--http-port", Integer.toString(port), "--state-dir", dir.resolve("history").toString(),
                    // The synthetic members send no heartbeats: keep the failure detector out of the figures.
                    "--failure-timeout", "P1D"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("history-api.log").toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                HttpClient http = HttpClient.newHttpClient();
                long start = System.nanoTime();
                long folded = 0;
                while (folded < log.events) {
                    if (!api.isAlive()) {
                        throw new IllegalStateException("history-api exited; see " + dir.resolve("history-api.log"));
                    }
                    Thread.sleep(1000);
                    folded = HistoryApiProbe.folded(http, base);
                    if ((System.nanoTime() - start) > 1_800_000_000_000L) {
                        throw new IllegalStateException("history-api folded " + folded + " events in 30 minutes");
                    }
                }
                double foldSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("  history-api folded %d events in %.0f s (%.0f events/s, including its start)%n",
                        folded, foldSeconds, folded / foldSeconds);

                Random random = new Random(11);
                Instant end = EventLogFixture.START.plusMillis(log.events * EventLogFixture.STEP_MILLIS);
                Stats history = new Stats("GET …/members/{m}/history");
                Stats atTime = new Stats("GET …/members?at=<instant>");
                Stats atVersion = new Stats("GET …/members?version=<n>");
                for (int warm = 0; warm < 200; warm++) {
                    HistoryApiProbe.get(http, base + "/api/pools/" + EventLogFixture.pool(random.nextInt(log.pools)) + "/members");
                }
                for (int i = 0; i < queries; i++) {
                    String pool = "/api/pools/" + EventLogFixture.pool(random.nextInt(log.pools));
                    history.addNanos(HistoryApiProbe.timed(http, base + pool + "/members/"
                            + EventLogFixture.member(random.nextInt(log.members)) + "/history?limit=1000"));
                    Instant at = EventLogFixture.START.plusMillis((long) (random.nextDouble()
                            * (end.toEpochMilli() - EventLogFixture.START.toEpochMilli())));
                    atTime.addNanos(HistoryApiProbe.timed(http, base + pool + "/members?at=" + at));
                    long current = currentVersion(HistoryApiProbe.get(http, base + pool + "/members"));
                    atVersion.addNanos(HistoryApiProbe.timed(http, base + pool + "/members?version=" + (1 + random.nextLong(current))));
                }
                System.out.println(history.line());
                System.out.println(atTime.line());
                System.out.println(atVersion.line());
                System.out.printf("history-api process: %s resident (VmRSS), -Xmx%s%n", HistoryApiProbe.rss(api.pid()), heap);
            } finally {
                api.destroy();
                api.waitFor();
            }
        }
        return 0;
    }




    private static long currentVersion(String members) {
        Matcher m = Pattern.compile("\"version\":([0-9]+)").matcher(members);
        if (!m.find()) {
            throw new IllegalStateException("no version in " + members);
        }
        return Long.parseLong(m.group(1));
    }

}
