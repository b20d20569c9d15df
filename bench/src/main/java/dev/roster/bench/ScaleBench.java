package dev.roster.bench;

import dev.roster.cli.FreePort;
import dev.roster.cli.Roster;
import dev.roster.core.ConfigVersion;
import dev.roster.core.EventCodec;
import dev.roster.core.Heartbeat;
import dev.roster.core.MemberEvent;
import dev.roster.core.MemberFailed;
import dev.roster.core.MemberJoined;
import dev.roster.core.TopicSetup;
import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Roster at the size of a large fleet, on one machine: a load (this process) joins --members synthetic
 * members in --pools pools and then sends each a heartbeat every --heartbeat-interval; a history-api and a
 * config-builder serving --served-pools of the pools with a real HAProxy run as processes of their own. Then
 * --stops members, at random among the served pools, stop beating: the time to their member-failed and to a
 * live config without them is measured, with the CPU and memory of each process and history query latency.
 * Member addresses are 127.0.0.1 on ports nothing listens on, so HAProxy's health checks stay on this machine.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "100 000 members in 1 000 pools with heartbeats, a history-api and a config-builder with HAProxy"
                + " serving 100 of the pools; failure detection of members that stop, CPU and memory of each process.")
final class ScaleBench implements Callable<Integer> {
    private static final long TIMEOUT_MS = Duration.ofMinutes(10).toMillis();

    @Option(names = "--members", defaultValue = "100000", description = "Members in all (default ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--pools", defaultValue = "1000", description = "Pools (default ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--served-pools", defaultValue = "100", description = "Pools the config-builder serves, the first"
            + " ones by name (default ${DEFAULT-VALUE}).")
    int servedPools;

    @Option(names = "--heartbeat-interval", defaultValue = "PT5S", description = "Between two heartbeats of a member"
            + " (default ${DEFAULT-VALUE}, as docs/operations.md gives for 100 000 members).")
    Duration interval;

    @Option(names = "--failure-timeout", defaultValue = "PT20S", description = "The history-api's --failure-timeout"
            + " (default ${DEFAULT-VALUE}).")
    Duration failureTimeout;

    @Option(names = "--steady", defaultValue = "PT60S", description = "Heartbeats from everyone before members stop"
            + " (default ${DEFAULT-VALUE}).")
    Duration steady;

    @Option(names = "--stops", defaultValue = "100", description = "Members that stop beating (default ${DEFAULT-VALUE}).")
    int stops;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--queries", defaultValue = "500", description = "History queries of each kind at the end"
            + " (default ${DEFAULT-VALUE}).")
    int queries;

    private String pool(int p) {
        return String.format("pool-%04d", p);
    }

    /** Member names are unique across pools, so a config's text tells which of them it serves. */
    private static String member(int m) {
        return String.format("m%06d", m);
    }

    private int poolOf(int m) {
        return m % pools;
    }

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        if (servedPools > pools || pools > 10_000 || stops > members) {
            throw new IllegalArgumentException("need served-pools <= pools <= 10000 and stops <= members");
        }
        Path dir = Files.createTempDirectory("roster-bench-scale");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            TopicSetup.createAll(kafka.admin(), partitions, Optional.empty());
            int apiPort = FreePort.find();
            int frontendPort = FreePort.find();
            Process api = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", classpath, Roster.class.getName(),
                    "history-api", "--bootstrap-server", kafka.bootstrapServers(), "--http-port", Integer.toString(apiPort),
                    "--state-dir", dir.resolve("history").toString(), "--failure-timeout", failureTimeout.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("history-api.log").toFile()).start();
            // pool-0000 … pool-(served-1): a glob when the count is a power of ten, else the names.
            List<String> served = new ArrayList<>();
            for (int p = 0; p < servedPools; p++) {
                served.add(pool(p));
            }
            Path work = dir.resolve("haproxy");
            Process builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", classpath, Roster.class.getName(),
                    "config-builder", "--bootstrap-server", kafka.bootstrapServers(), "--work-dir", work.toString(),
                    "--pools", String.join(",", served), "--frontend-port", Integer.toString(frontendPort),
                    "--run-haproxy"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("config-builder.log").toFile()).start();
            List<Process> processes = List.of(api, builder);
            // Stopped or interrupted, the bench takes its processes (and the builder its HAProxy) with it.
            Thread reaper = new Thread(() -> processes.forEach(Process::destroy), "scale-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            try (KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers());
                 KafkaConsumer<String, byte[]> failures = tail(kafka.bootstrapServers(), Topics.EVENTS.name());
                 KafkaConsumer<String, ConfigVersion> versions = tailVersions(kafka.bootstrapServers())) {
                String base = "http://127.0.0.1:" + apiPort;
                HttpClient http = HttpClient.newHttpClient();
                awaitHttp(http, base + "/health", processes, dir);
                Cpu cpu = new Cpu(Map.of("history-api", api.pid(), "config-builder", builder.pid(),
                        "load + broker (bench JVM)", ProcessHandle.current().pid()));

                // Joins.
                long[] incarnation = new long[members];
                long joinStart = System.nanoTime();
                for (int m = 0; m < members; m++) {
                    incarnation[m] = 1;
                    MemberEvent join = new MemberJoined("join-" + m, pool(poolOf(m)), member(m), 1, Instant.now(),
                            "bench", "127.0.0.1", 20_000 + m % 40_000, 100, Map.of());
                    send(producer, Topics.EVENTS.name(), join.pool(), EventCodec.encode(join));
                }
                producer.flush();
                // Heartbeats from everyone from now on, spread over the interval, each member once per interval.
                Random random = new Random(5);
                Set<Integer> stopped = new HashSet<>();
                List<Integer> servedIndexes = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    if (poolOf(m) < servedPools) {
                        servedIndexes.add(m);
                    }
                }
                while (stopped.size() < stops) {
                    stopped.add(servedIndexes.get(random.nextInt(servedIndexes.size())));
                }
                AtomicLong beats = new AtomicLong();
                AtomicLong stopAtMillis = new AtomicLong(Long.MAX_VALUE);
                AtomicLong beatEndMs = new AtomicLong(System.currentTimeMillis() + TIMEOUT_MS);
                AtomicReference<Exception> beatFailure = new AtomicReference<>();
                Thread beater = new Thread(() -> {
                    try {
                        beat(producer, incarnation, stopped, stopAtMillis, beats, beatEndMs);
                    } catch (Exception e) {
                        beatFailure.set(e);
                    }
                }, "scale-heartbeats");
                beater.start();

                awaitFolded(http, base, members, processes, dir);
                double foldedSeconds = (System.nanoTime() - joinStart) / 1e9;
                awaitLiveServers(versions, servedIndexes.size(), processes, dir);
                double liveSeconds = (System.nanoTime() - joinStart) / 1e9;
                System.out.printf("  %d joins folded %.1f s after the first was sent (%.0f joins/s); the builder's %d"
                        + " servers live after %.1f s%n", members, foldedSeconds, members / foldedSeconds,
                        servedIndexes.size(), liveSeconds);

                // Steady heartbeats: any member-failed now is a false alarm.
                failures.seekToEnd(failures.assignment());
                failures.assignment().forEach(failures::position);
                cpu.mark();
                long steadyStart = System.nanoTime();
                long steadyStartBeats = beats.get();
                long falseFailures = 0;
                while (System.nanoTime() - steadyStart < steady.toNanos()) {
                    for (ConsumerRecord<String, byte[]> record : failures.poll(Duration.ofMillis(200))) {
                        if (decode(record.value()) instanceof MemberFailed) {
                            falseFailures++;
                        }
                    }
                    versions.poll(Duration.ZERO);
                    alive(processes, dir);
                }
                double steadySeconds = (System.nanoTime() - steadyStart) / 1e9;
                long steadyBeats = beats.get() - steadyStartBeats;
                Map<String, Double> steadyCpu = cpu.sinceMark(steadySeconds);
                double haproxyCpu = cpu.haproxyShare(builder.pid(), steadySeconds);
                long stopMs = System.currentTimeMillis();
                stopAtMillis.set(stopMs);

                Map<String, Long> failedAt = new HashMap<>();
                Map<String, Long> goneAt = new HashMap<>();
                Set<String> stoppedNames = new HashSet<>();
                stopped.forEach(m -> stoppedNames.add(member(m)));
                long deadline = System.currentTimeMillis() + failureTimeout.toMillis() + 30_000;
                while ((failedAt.size() < stops || goneAt.size() < stops) && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : failures.poll(Duration.ofMillis(100))) {
                        MemberEvent event = decode(record.value());
                        if (event instanceof MemberFailed && stoppedNames.contains(event.member())) {
                            failedAt.putIfAbsent(event.member(), event.at().toEpochMilli());
                        }
                    }
                    for (ConsumerRecord<String, ConfigVersion> record : versions.poll(Duration.ofMillis(10))) {
                        ConfigVersion version = record.value();
                        if (version == null || !ConfigVersion.APPLIED.equals(version.status())) {
                            continue;
                        }
                        for (String name : stoppedNames) {
                            if (!goneAt.containsKey(name) && !version.config().contains("server " + name + " ")) {
                                goneAt.put(name, version.at().toEpochMilli());
                            }
                        }
                    }
                    alive(processes, dir);
                }
                beatEndMs.set(0);
                beater.join(10_000);
                if (beatFailure.get() != null) {
                    throw beatFailure.get();
                }
                Stats toFailed = new Stats("stop → member-failed (its at)");
                Stats toGone = new Stats("stop → config without it applied");
                failedAt.values().forEach(at -> toFailed.addNanos((at - stopMs) * 1_000_000));
                goneAt.values().forEach(at -> toGone.addNanos((at - stopMs) * 1_000_000));

                System.out.printf("  heartbeats: %.0f/s sustained for %.0f s (%d members every %d ms); false failures"
                        + " before the stop: %d%n", steadyBeats / steadySeconds, steadySeconds, members,
                        interval.toMillis(), falseFailures);
                System.out.printf("  %d members stopped beating: %d member-failed and %d configs without them within"
                        + " %d s (failure timeout %d ms)%n", stops, failedAt.size(), goneAt.size(),
                        (deadline - stopMs) / 1000, failureTimeout.toMillis());
                System.out.println(toFailed.line());
                System.out.println(toGone.line());
                steadyCpu.forEach((name, share) -> System.out.printf("  CPU while heartbeating, %-28s %5.0f %% of a core%n",
                        name, share * 100));
                System.out.printf("  CPU while heartbeating, %-28s %5.0f %% of a core%n", "haproxy (all its processes)",
                        haproxyCpu * 100);
                for (Map.Entry<String, Long> process : Map.of("history-api", api.pid(), "config-builder", builder.pid(),
                        "load + broker (bench JVM)", ProcessHandle.current().pid()).entrySet()) {
                    System.out.printf("  resident memory, %-28s %s%n", process.getKey(), HistoryApiProbe.rss(process.getValue()));
                }
                queries(http, base, random);
            } finally {
                for (Process process : processes) {
                    process.destroy();
                }
                for (Process process : processes) {
                    if (!process.waitFor(30, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
        }
        deleteQuietly(dir);
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Each member beats once per interval, in a fixed order spread over it, until {@code endMs}. */
    private void beat(KafkaProducer<String, byte[]> producer, long[] incarnation, Set<Integer> stopped,
                      AtomicLong stopAtMillis, AtomicLong beats, AtomicLong endMs) throws InterruptedException {
        long intervalMs = interval.toMillis();
        int slices = (int) Math.max(1, intervalMs / 10);
        int perSlice = (members + slices - 1) / slices;
        long next = System.currentTimeMillis();
        int m = 0;
        while (System.currentTimeMillis() < endMs.get()) {
            long now = System.currentTimeMillis();
            boolean stoppedNow = now >= stopAtMillis.get();
            for (int i = 0; i < perSlice; i++, m = (m + 1) % members) {
                if (stoppedNow && stopped.contains(m)) {
                    continue;
                }
                Heartbeat beat = new Heartbeat(pool(poolOf(m)), member(m), incarnation[m], Instant.ofEpochMilli(now));
                send(producer, Topics.HEARTBEATS.name(), beat.pool(), EventCodec.encodeHeartbeat(beat));
                beats.incrementAndGet();
            }
            next += intervalMs / slices;
            long sleep = next - System.currentTimeMillis();
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
    }

    private void queries(HttpClient http, String base, Random random) throws Exception {
        Stats history = new Stats("GET …/members/{m}/history");
        Stats current = new Stats("GET /api/pools/{pool}/members");
        Stats atVersion = new Stats("GET …/members?version=1");
        for (int i = 0; i < queries; i++) {
            int m = random.nextInt(members);
            String pool = "/api/pools/" + pool(poolOf(m));
            history.addNanos(HistoryApiProbe.timed(http, base + pool + "/members/" + member(m) + "/history"));
            current.addNanos(HistoryApiProbe.timed(http, base + pool + "/members"));
            atVersion.addNanos(HistoryApiProbe.timed(http, base + pool + "/members?version=1"));
        }
        System.out.println(history.line());
        System.out.println(current.line());
        System.out.println(atVersion.line());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                System.err.println("send to " + topic + " failed: " + error);
            }
        });
    }

    /** A read_committed consumer of the topic's new records only. */
    private static KafkaConsumer<String, byte[]> tail(String bootstrap, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static KafkaConsumer<String, ConfigVersion> tailVersions(String bootstrap) {
        KafkaConsumer<String, ConfigVersion> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_CONFIG_RECORD_BYTES,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topics.MAX_CONFIG_RECORD_BYTES),
                Topics.CONFIG_VERSIONS.keySerde().deserializer(), Topics.CONFIG_VERSIONS.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONFIG_VERSIONS.name()).stream()
                .map(info -> new TopicPartition(Topics.CONFIG_VERSIONS.name(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static MemberEvent decode(byte[] value) {
        try {
            return EventCodec.decode(value);
        } catch (dev.roster.core.InvalidEventException e) {
            throw new IllegalStateException("roster.events holds an invalid event: " + e.getMessage());
        }
    }

    private static void awaitLiveServers(KafkaConsumer<String, ConfigVersion> versions, int servers,
                                         List<Process> processes, Path dir) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, ConfigVersion> record : versions.poll(Duration.ofMillis(200))) {
                ConfigVersion version = record.value();
                if (version != null && ConfigVersion.APPLIED.equals(version.status())
                        && countServers(version.config()) >= servers) {
                    return;
                }
            }
            alive(processes, dir);
        }
        throw new IllegalStateException("no applied config with " + servers + " servers within 10 minutes");
    }

    private static int countServers(String config) {
        int count = 0;
        for (int at = config.indexOf("\n    server "); at >= 0; at = config.indexOf("\n    server ", at + 1)) {
            count++;
        }
        return count;
    }

    private static void awaitFolded(HttpClient http, String base, long events, List<Process> processes, Path dir)
            throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (HistoryApiProbe.folded(http, base) < events) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the history-api did not fold " + events + " events in 10 minutes");
            }
            alive(processes, dir);
            // A scrape of /metrics costs the history-api CPU: twice a second is enough.
            Thread.sleep(500);
        }
    }

    private static void awaitHttp(HttpClient http, String url, List<Process> processes, Path dir) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(url + " did not answer 200 within 2 minutes");
            }
            alive(processes, dir);
            Thread.sleep(200);
        }
    }

    private static void alive(List<Process> processes, Path dir) {
        for (Process process : processes) {
            if (!process.isAlive()) {
                throw new IllegalStateException("a process exited (code " + process.exitValue() + "); see the logs in "
                        + dir);
            }
        }
    }



    /** CPU time of processes from /proc, between a mark and now. */
    private static final class Cpu {
        private static final double TICKS_PER_SECOND = 100;
        private final Map<String, Long> pids;
        private final Map<String, Long> marked = new HashMap<>();
        private long haproxyMarked;

        Cpu(Map<String, Long> pids) {
            this.pids = pids;
        }

        void mark() throws IOException {
            for (Map.Entry<String, Long> pid : pids.entrySet()) {
                marked.put(pid.getKey(), ticks(pid.getValue()));
            }
            haproxyMarked = haproxyTicks(pids.get("config-builder"));
        }

        /** Share of one core each process used since the mark. */
        Map<String, Double> sinceMark(double seconds) throws IOException {
            Map<String, Double> shares = new java.util.TreeMap<>();
            for (Map.Entry<String, Long> pid : pids.entrySet()) {
                shares.put(pid.getKey(), (ticks(pid.getValue()) - marked.get(pid.getKey())) / TICKS_PER_SECOND / seconds);
            }
            return shares;
        }

        double haproxyShare(long builderPid, double seconds) throws IOException {
            return (haproxyTicks(builderPid) - haproxyMarked) / TICKS_PER_SECOND / seconds;
        }

        /** HAProxy's master and workers are the builder's descendants. */
        private static long haproxyTicks(long builderPid) throws IOException {
            long ticks = 0;
            for (ProcessHandle child : ProcessHandle.of(builderPid).map(p -> p.descendants().toList()).orElse(List.of())) {
                if (child.info().command().map(c -> c.endsWith("haproxy")).orElse(false)) {
                    ticks += ticks(child.pid());
                }
            }
            return ticks;
        }

        /** utime + stime of the process, its threads included. */
        private static long ticks(long pid) throws IOException {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (!Files.exists(stat)) {
                return 0;
            }
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
    }
}
