package dev.roster.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.config.LogReplay;
import dev.roster.core.Json;
import dev.roster.core.MemberSet;
import dev.roster.core.TopicSetup;
import dev.roster.core.Topics;
import dev.roster.history.DetectorSettings;
import dev.roster.history.HistoryApi;
import dev.roster.history.HistoryApiSettings;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The fold's rate on a log written beforehand: for each layout, a fresh broker, the log, a plain consumer
 * reading it (the ceiling), then a history-api folding it from the first record until every pool shows
 * the version a replay of the same log gives. Also the bytes the fold wrote to Kafka and to its state folder.
 */
@Command(name = "fold", mixinStandardHelpOptions = true,
        description = "Events/s of the history-api's fold, per layout of pools × members, beside a plain consumer.")
final class FoldBench implements Callable<Integer> {
    private static final long TIMEOUT_NANOS = Duration.ofMinutes(30).toNanos();

    @Option(names = "--events", defaultValue = "1000000", description = "Events in each log (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--layouts", defaultValue = "100x100,1x10000,1000x100", split = ",",
            description = "Layouts as POOLSxMEMBERS (default ${DEFAULT-VALUE}).")
    List<String> layouts;

    @Option(names = "--partitions", defaultValue = "1", description = "Partitions of the pool-keyed topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--set", split = ",", description = "Extra Kafka Streams or client properties of the history-api,"
            + " KEY=VALUE, to measure other settings.")
    Map<String, String> extra = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        for (String layout : layouts) {
            String[] parts = layout.split("x");
            run(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        return 0;
    }

    private void run(int pools, int members) throws Exception {
        System.out.printf("layout %d pools × %d members, %d events:%n", pools, members, events);
        Path dir = Files.createTempDirectory("roster-bench-fold");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            TopicSetup.createAll(kafka.admin(), partitions, Optional.empty());
            EventLogFixture.produce(kafka.bootstrapServers(), pools, members, events);
            Map<String, Long> before = topicBytes(kafka.admin());

            long readStart = System.nanoTime();
            Map<String, Long> expected = replay(kafka.bootstrapServers());
            double readSeconds = (System.nanoTime() - readStart) / 1e9;

            Path stateDir = dir.resolve("history");
            HistoryApiSettings settings = HistoryApiSettings.defaults(kafka.bootstrapServers(), stateDir)
                    .withHttp("127.0.0.1", 0)
                    // The synthetic members send no heartbeats: keep the failure detector out of the figures.
                    .withDetector(new DetectorSettings(Duration.ofDays(1), Duration.ofMillis(50), "failure-detector"))
                    .withKafka(extra);
            long start = System.nanoTime();
            double foldSeconds;
            double fromFirstSeconds;
            try (HistoryApi api = new HistoryApi(settings).start()) {
                long firstFolded = awaitVersions(api, expected, events, start);
                long end = System.nanoTime();
                foldSeconds = (end - start) / 1e9;
                fromFirstSeconds = (end - firstFolded) / 1e9;
                printThreadRatios(api);
            }
            Map<String, Long> after = topicBytes(kafka.admin());
            long written = 0;
            StringBuilder perTopic = new StringBuilder();
            for (Map.Entry<String, Long> topic : new TreeMap<>(after).entrySet()) {
                long grown = topic.getValue() - before.getOrDefault(topic.getKey(), 0L);
                if (grown > 0) {
                    written += grown;
                    perTopic.append(String.format("%n    %-70s %8.1f bytes/event", topic.getKey(), (double) grown / events));
                }
            }
            long state = folderBytes(stateDir);
            System.out.printf("  plain consumer (read_committed, with a replay of the log): %.1f s, %.0f events/s%n",
                    readSeconds, events / readSeconds);
            System.out.printf("  history-api fold, from its start: %.1f s, %.0f events/s (%.2f× the plain consumer's time)%n",
                    foldSeconds, events / foldSeconds, foldSeconds / readSeconds);
            System.out.printf("  history-api fold, from the first record folded to the last pool at its version: %.1f s, "
                    + "%.0f events/s%n", fromFirstSeconds, events / fromFirstSeconds);
            System.out.printf("  written to Kafka by the fold: %.1f bytes/event (%.1f MB)%s%n", (double) written / events,
                    written / 1e6, perTopic);
            System.out.printf("  state folder after the fold: %.1f bytes/event (%.1f MB)%n", (double) state / events,
                    state / 1e6);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Reads the whole log as a plain consumer and replays it: each pool and the version it ends at. */
    private static Map<String, Long> replay(String bootstrapServers) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        LogReplay replay = new LogReplay();
        Map<String, Long> versions = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading the log took more than 30 minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    replay.fold(record.partition(), record.offset(), record.key(), record.value())
                            .ifPresent(change -> versions.put(change.pool(), change.set().version()));
                }
            }
        }
        return versions;
    }

    /**
     * Waits until the history-api shows every pool at its expected version.
     *
     * @return when the first record was seen folded (within a poll of 10 ms)
     */
    private static long awaitVersions(HistoryApi api, Map<String, Long> expected, long events, long start)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long lastReport = start;
        long lastCheck = start;
        long firstFolded = 0;
        while (true) {
            long now = System.nanoTime();
            if (firstFolded == 0 && api.metrics().folded() > 0) {
                firstFolded = now;
            }
            if (now - start > TIMEOUT_NANOS) {
                throw new IllegalStateException("the fold did not finish within 30 minutes");
            }
            if (now - lastReport > 10_000_000_000L) {
                System.out.printf("    %d events folded after %.0f s%n", api.metrics().folded(), (now - start) / 1e9);
                lastReport = now;
            }
            // The REST check costs the fold CPU: ask it once every event has been folded, else every 2 s.
            boolean allFolded = api.metrics().folded() >= events;
            if ((allFolded || now - lastCheck > 2_000_000_000L) && reached(http, api.url(), expected)) {
                return firstFolded == 0 ? start : firstFolded;
            }
            if (!allFolded && now - lastCheck > 2_000_000_000L) {
                lastCheck = now;
            }
            Thread.sleep(allFolded || firstFolded == 0 ? 10 : 50);
        }
    }

    private static boolean reached(HttpClient http, String base, Map<String, Long> expected) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/pools")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return false;
            }
            Map<String, Long> shown = new HashMap<>();
            for (JsonNode pool : Json.MAPPER.readTree(response.body())) {
                shown.put(pool.path("pool").asText(), pool.path("version").asLong());
            }
            return shown.equals(expected);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the stream thread's time went, as Kafka Streams measures it. */
    private static void printThreadRatios(HistoryApi api) {
        StringBuilder line = new StringBuilder("  stream thread time:");
        api.streamsMetrics().forEach((name, metric) -> {
            if (name.group().equals("stream-thread-metrics") && name.name().endsWith("-ratio")) {
                line.append(String.format(" %s %.2f", name.name(), ((Number) metric.metricValue()).doubleValue()));
            }
            if (name.group().equals("stream-thread-metrics") && name.name().equals("commit-latency-avg")) {
                line.append(String.format(" commit-latency-avg %.1f ms", ((Number) metric.metricValue()).doubleValue()));
            }
        });
        System.out.println(line);
    }

    /** Bytes on the broker's disk per topic (changelogs included), from its log directories. */
    private static Map<String, Long> topicBytes(Admin admin) throws Exception {
        Map<String, Long> bytes = new HashMap<>();
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get();
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription dir : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                    bytes.merge(replica.getKey().topic(), replica.getValue().size(), Long::sum);
                }
            }
        }
        return bytes;
    }

    private static long folderBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("  could not delete " + dir + ": " + e.getMessage());
        }
    }
}
