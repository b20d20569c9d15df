package dev.roster.config;

import com.sun.net.httpserver.HttpServer;
import dev.roster.core.ConfigVersion;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.PoolVersion;
import dev.roster.core.SnapshotFollower;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.roster.core.Topics;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.roster.config.TestSupport.answersWithin;
import static dev.roster.config.TestSupport.get;
import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole builder against a real broker and a real HAProxy, as {@code roster up} runs them: the
 * builder starts first and renders the current state, HAProxy starts on the live file, then every
 * burst of snapshots becomes a version that is validated, made live and reloaded.
 *
 * <p>The topic names are fixed ({@link Topics}), so the steps share one broker, one builder and one
 * HAProxy and run in order, each building on the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigBuilderIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static final int SNAPSHOT_PARTITIONS = 3;
    private static KafkaProducer<String, byte[]> producer;
    /** What the test published of each pool so far, to write only the rows that change, as history-api does. */
    private static final Map<String, PoolSnapshot> published = new HashMap<>();
    private static ConfigBuilderSettings settings;
    private static ConfigBuilder builder;
    private static HaproxyProcess haproxy;
    private static final List<HttpServer> servers = new ArrayList<>();
    private static final List<VersionRecord> heard = new CopyOnWriteArrayList<>();
    private static int one;
    private static int two;
    private static int frontendPort;

    @BeforeAll
    static void startBrokerAndBackends() throws IOException {
        TestSupport.assumeHaproxy();
        EmbeddedKafka.interceptJvmExit((kind, status, message) ->
                System.err.println("Kafka asked to end the JVM: " + kind + " " + status + " " + message));
        kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        kafka.createTopic(Topics.SNAPSHOTS.name(), SNAPSHOT_PARTITIONS, Topics.SNAPSHOTS.config());
        kafka.createTopic(Topics.CONFIG_VERSIONS.name(), 1, Topics.CONFIG_VERSIONS.config());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "config-builder-it");
        producer = new KafkaProducer<String, byte[]>(props, Topics.SNAPSHOTS.keySerde().serializer(),
                Topics.SNAPSHOTS.valueSerde().serializer());
        producer.initTransactions();
        one = backend("one");
        two = backend("two");
        frontendPort = TestSupport.freePort();
        Path workDir = dir.resolve("work");
        settings = ConfigBuilderSettings.defaults(kafka.bootstrapServers(), workDir)
                .withHaproxyBinary(TestSupport.HAPROXY)
                .withFrontend("127.0.0.1", frontendPort)
                .withMasterSocket(workDir.resolve("master.sock"))
                // Wider than the default 50 ms so that a slow CI machine still sees one burst as one.
                .withCoalescing(Duration.ofMillis(300), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopAll() {
        if (builder != null) {
            builder.close();
        }
        if (haproxy != null) {
            haproxy.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
        servers.forEach(server -> server.stop(0));
        EmbeddedKafka.restoreJvmExit();
    }

    private static int backend(String name) throws IOException {
        HttpServer server = TestSupport.namedBackend(name);
        servers.add(server);
        return server.getAddress().getPort();
    }

    /**
     * Sends the records in one transaction (a reader sees all of them at once or none), each in its pool's
     * partition as history-api places them.
     */
    private static void publish(List<List<ProducerRecord<String, byte[]>>> records) {
        producer.beginTransaction();
        records.forEach(list -> list.forEach(record -> producer.send(new ProducerRecord<>(record.topic(),
                SnapshotFollower.partition(record.key(), SNAPSHOT_PARTITIONS), record.key(), record.value()))));
        producer.commitTransaction();
    }

    /** A pool's next version as history-api writes it: a row for each member that changed, then the head. */
    private static List<ProducerRecord<String, byte[]>> snapshot(PoolSnapshot snapshot) {
        Map<String, dev.roster.core.Member> before = new HashMap<>();
        Optional.ofNullable(published.put(snapshot.pool(), snapshot))
                .ifPresent(old -> old.members().forEach(m -> before.put(m.name(), m)));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (dev.roster.core.Member member : snapshot.members()) {
            if (!member.equals(before.remove(member.name()))) {
                records.add(new ProducerRecord<>(Topics.SNAPSHOTS.name(),
                        SnapshotFollower.memberKey(snapshot.pool(), member.name()), SnapshotFollower.encode(member)));
            }
        }
        before.keySet().forEach(gone -> records.add(new ProducerRecord<>(Topics.SNAPSHOTS.name(),
                SnapshotFollower.memberKey(snapshot.pool(), gone), null)));
        records.add(new ProducerRecord<>(Topics.SNAPSHOTS.name(), snapshot.pool(), SnapshotFollower.encode(
                new PoolVersion(snapshot.pool(), snapshot.version(), snapshot.members().size(), snapshot.through(),
                        snapshot.at()))));
        return records;
    }

    /** The pool's head tombstone: the pool is gone. */
    private static List<ProducerRecord<String, byte[]>> deleted(String pool) {
        published.remove(pool);
        return List.of(new ProducerRecord<>(Topics.SNAPSHOTS.name(), pool, null));
    }

    private static VersionRecord expected(long version, List<PoolSnapshot> pools, String status, String reason) {
        String activation = !status.equals(VersionRecord.APPLIED) ? VersionRecord.NOT_ACTIVATED
                : reason.startsWith("not reloaded") ? VersionRecord.BY_FILE : VersionRecord.BY_RELOAD;
        return expected(version, pools, status, reason, activation, List.of());
    }

    private static VersionRecord expected(long version, List<PoolSnapshot> pools, String status, String reason,
                                          String activation, List<String> runtimeCommands) {
        ConfigModel model = ConfigModel.of(settings, pools);
        return new VersionRecord(version, "haproxy-1", Sha256.hex(ConfigRenderer.render(settings, pools)),
                ConfigRenderer.defaultTemplate().templateSha256(), model.poolVersions(), model.through(), status, reason,
                settings.renderParameters(), activation, runtimeCommands, VersionRecord.BUILDER, 0, 0);
    }

    static final PoolSnapshot WEB_1 = pool("web", 1, 0, 10, member("one", "127.0.0.1", 1));
    static final PoolSnapshot API_1 = pool("api", 1, 1, 11, member("api-two", "127.0.0.1", 2));
    static final PoolSnapshot WEB_2 = pool("web", 2, 0, 12, member("one", "127.0.0.1", 1), member("two", "127.0.0.1", 2));
    static final PoolSnapshot WEB_4 = pool("web", 4, 0, 14, member("two", "127.0.0.1", 2));

    /** The snapshots above point at placeholder ports 1 and 2; the real backends' ports replace them. */
    private static PoolSnapshot real(PoolSnapshot snapshot) {
        return new PoolSnapshot(snapshot.pool(), snapshot.version(), snapshot.members().stream()
                .map(m -> member(m.name(), m.address(), m.port() == 1 ? one : two)).toList(), snapshot.through(), snapshot.at());
    }

    @Test
    @Order(1)
    void startsOnAnEmptyTopicWithAnEmptyConfigThatGoesLiveBeforeHaproxyRuns() throws Exception {
        builder = new ConfigBuilder(settings);
        builder.addListener(heard::add);
        builder.start();

        assertThat(builder.awaitReady(Duration.ofSeconds(60))).isTrue();

        assertThat(builder.latestRecord()).contains(expected(1, List.of(), VersionRecord.APPLIED,
                "not reloaded: HAProxy is not running (no master socket at " + settings.masterSocket().orElseThrow() + ")"));
        assertThat(builder.liveFile()).hasContent(ConfigRenderer.render(settings, List.of()));
        haproxy = HaproxyProcess.start(settings);
        assertThat(get(frontendPort, "web.test")).startsWith("503 ");
    }

    @Test
    @Order(2)
    void aBurstOfSnapshotsBecomesOneVersionThatHaproxyServes() throws Exception {
        publish(List.of(snapshot(real(WEB_1)), snapshot(real(API_1)), snapshot(real(WEB_2))));

        List<PoolSnapshot> state = List.of(real(WEB_2), real(API_1));
        assertThat(builder.awaitVersion(2, WAIT)).contains(expected(2, state, VersionRecord.APPLIED, ""));
        assertThat(builder.awaitVersion(3, Duration.ofSeconds(1))).as("one version for the whole burst").isEmpty();
        assertThat(builder.liveFile()).hasContent(ConfigRenderer.render(settings, state));
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");
        assertThat(get(frontendPort, "api.test")).isEqualTo("200 two");
    }

    @Test
    @Order(3)
    void anUnreadableRowIsSkippedAndTheHeadAfterItKeepsThePoolsMembers() throws Exception {
        // A row whose key names another member than its value: skipped, and the head after it brings web to
        // version 3 with the members of version 2: a new version, nothing for HAProxy to change.
        publish(List.of(List.of(new ProducerRecord<>(Topics.SNAPSHOTS.name(), "web/one",
                SnapshotFollower.encode(member("three", "127.0.0.1", 3)))), List.of(new ProducerRecord<>(
                Topics.SNAPSHOTS.name(), "web", SnapshotFollower.encode(new PoolVersion("web", 3, 2,
                new dev.roster.core.LogPosition(0, 13), WEB_2.at()))))));

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> builder.pools().get("web").version() == 3);
        assertThat(builder.pools().get("web").members()).isEqualTo(real(WEB_2).members());
        PoolSnapshot web3 = new PoolSnapshot("web", 3, real(WEB_2).members(), new dev.roster.core.LogPosition(0, 13),
                WEB_2.at());
        assertThat(builder.awaitVersion(3, WAIT)).contains(expected(3, List.of(web3, real(API_1)),
                VersionRecord.APPLIED, "", VersionRecord.BY_RUNTIME_API, List.of()));
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");
        published.put("web", new PoolSnapshot("web", 3, real(WEB_2).members(), WEB_2.through(), WEB_2.at()));
    }

    @Test
    @Order(4)
    void aLeaveGoesLiveThroughTheRuntimeApiWithoutAReload() throws Exception {
        int reloadsBefore = haproxy.masterCli().procs().reloads();

        publish(List.of(snapshot(real(WEB_4))));

        assertThat(builder.awaitVersion(4, WAIT)).contains(expected(4, List.of(real(WEB_4), real(API_1)),
                VersionRecord.APPLIED, "", VersionRecord.BY_RUNTIME_API,
                List.of("set server web/one state maint", "del server web/one")));
        assertThat(haproxy.masterCli().procs().reloads()).isEqualTo(reloadsBefore);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 two"))).containsExactly("200 two");
    }

    @Test
    @Order(5)
    void aTombstoneRemovesThePoolAndItsHostFallsBackToTheFirstPool() throws Exception {
        publish(List.of(deleted("api")));

        assertThat(builder.awaitVersion(5, WAIT)).contains(expected(5, List.of(real(WEB_4)), VersionRecord.APPLIED, ""));
        assertThat(builder.pools()).containsOnlyKeys("web");
        assertThat(get(frontendPort, "api.test")).isEqualTo("200 two");
    }

    @Test
    @Order(6)
    void aRestartRendersTheSameStateAndWritesNoNewVersion() throws Exception {
        builder.close();
        builder = new ConfigBuilder(settings);
        builder.start();

        assertThat(builder.awaitReady(Duration.ofSeconds(60))).isTrue();
        assertThat(builder.latestVersion()).hasValue(5);
        assertThat(builder.awaitVersion(6, Duration.ofSeconds(1))).isEmpty();
        try (var files = Files.list(builder.versionsDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "haproxy-000001.cfg", "haproxy-000001.json", "haproxy-000002.cfg", "haproxy-000002.json",
                    "haproxy-000003.cfg", "haproxy-000003.json", "haproxy-000004.cfg", "haproxy-000004.json",
                    "haproxy-000005.cfg", "haproxy-000005.json", "templates");
        }
        assertThat(builder.versionsDir().resolve("templates")
                .resolve(ConfigRenderer.defaultTemplate().templateSha256() + ".hbs"))
                .hasContent(ConfigRenderer.defaultTemplate().templateText());
        assertThat(builder.liveFile()).hasContent(Files.readString(builder.versionsDir().resolve("haproxy-000005.cfg")));
    }

    @Test
    @Order(7)
    void everyVersionIsPublishedOnConfigVersionsKeyedByInstanceAndHeardByListeners() throws Exception {
        List<VersionRecord> manifests = new ArrayList<>();
        List<ConfigVersion> expected = new ArrayList<>();
        for (long v = 1; v <= 5; v++) {
            VersionRecord manifest = builder.awaitVersion(v, Duration.ZERO).orElseThrow();
            manifests.add(manifest);
            String text = Files.readString(builder.versionsDir().resolve(String.format("haproxy-%06d.cfg", v)));
            expected.add(manifest.toConfigVersion(null, text));
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, ConfigVersion>> versions = new ArrayList<>();
        try (KafkaConsumer<String, ConfigVersion> consumer = new KafkaConsumer<>(props,
                Topics.CONFIG_VERSIONS.keySerde().deserializer(), Topics.CONFIG_VERSIONS.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(Topics.CONFIG_VERSIONS.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (versions.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(versions::add);
            }
        }

        assertThat(versions).extracting(ConsumerRecord::key).containsOnly("haproxy-1");
        assertThat(versions).extracting(ConsumerRecord::value)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("at", "reloadMillis")
                .containsExactlyElementsOf(expected);
        assertThat(heard).containsExactlyElementsOf(manifests);
    }

    @Test
    @Order(8)
    void aHundredJoinsWithinASecondMakeAtMostThreeReloadsAndTheLastConfigHoldsAllHundred() throws Exception {
        // The default coalescing this time, restarted on the same work folder.
        ConfigBuilderSettings defaults = ConfigBuilderSettings.defaults("unused:9092", dir);
        builder.close();
        builder = new ConfigBuilder(settings.withCoalescing(defaults.quietWindow(), defaults.maxWait()));
        builder.start();
        assertThat(builder.awaitReady(Duration.ofSeconds(60))).isTrue();
        int reloadsBefore = haproxy.masterCli().procs().reloads();
        long versionBefore = builder.latestVersion().orElseThrow();

        // Ten transactions of ten joins, 90 ms apart: how history-api's commits (every 100 ms) deliver them.
        List<dev.roster.core.Member> members = new ArrayList<>();
        long start = System.nanoTime();
        for (int batch = 0; batch < 10; batch++) {
            List<List<ProducerRecord<String, byte[]>>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                members.add(member(String.format("node-%03d", members.size() + 1), "127.0.0.1", one));
                records.add(snapshot(new PoolSnapshot("burst", members.size(), members,
                        new dev.roster.core.LogPosition(2, 100 + members.size()), WEB_1.at())));
            }
            publish(records);
            long next = start + (batch + 1) * 90_000_000L;
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        Duration publishing = Duration.ofNanos(System.nanoTime() - start);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> builder.latestRecord()
                .map(r -> r.applied() && r.poolVersions().getOrDefault("burst", 0L) == 100L).orElse(false));
        int reloads = haproxy.masterCli().procs().reloads() - reloadsBefore;
        long versions = builder.latestVersion().orElseThrow() - versionBefore;
        System.out.printf("100 joins published in %d ms: %d versions, %d reloads%n", publishing.toMillis(), versions,
                reloads);

        assertThat(publishing).isLessThan(Duration.ofSeconds(1));
        assertThat(reloads).isBetween(1, 3);
        // The first version adds the pool (a reload); the joins after it go through the runtime API, at most
        // one version per transaction.
        assertThat(versions).isBetween(1L, 10L);
        String live = Files.readString(builder.liveFile());
        assertThat(TestSupport.lines(live).stream().filter(line -> line.startsWith("    server node-")))
                .hasSize(100).contains("    server node-001 127.0.0.1:" + one + " id " + ServerIds.preferred("node-001")
                                + " check inter 1s fall 2 rise 2 weight 1",
                        "    server node-100 127.0.0.1:" + one + " id " + ServerIds.preferred("node-100")
                                + " check inter 1s fall 2 rise 2 weight 1");
        assertThat(get(frontendPort, "burst.test")).isEqualTo("200 one");
    }

    @Test
    @Order(9)
    void anOperatorPinsAnOlderVersionThroughTheRunningBuilderUntilTheNextChange() throws Exception {
        OperatorRequests requests = new OperatorRequests(settings.workDir());
        long before = builder.latestVersion().orElseThrow();

        OperatorRequests.Answer answer = requests.awaitAnswer(requests.submitActivation(4), WAIT).orElseThrow();

        long pinned = before + 1;
        assertThat(answer.ok()).as(answer.message()).isTrue();
        assertThat(answer.message()).isEqualTo("version " + pinned + " is live: a copy of version 4");
        assertThat(answer.record().origin()).isEqualTo(VersionRecord.OPERATOR);
        assertThat(answer.record().sourceVersion()).isEqualTo(4);
        assertThat(answer.record().reason()).isEqualTo("operator activation of version 4");
        assertThat(builder.awaitVersion(pinned, Duration.ZERO)).contains(answer.record());
        assertThat(builder.liveFile()).hasContent(Files.readString(builder.versionsDir().resolve("haproxy-000004.cfg")));
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "burst.test", Set.of("200 two"))).containsExactly("200 two");

        publish(List.of(deleted("burst")));

        VersionRecord next = builder.awaitVersion(pinned + 1, WAIT).orElseThrow();
        assertThat(next.origin()).isEqualTo(VersionRecord.BUILDER);
        assertThat(builder.liveFile()).hasContent(ConfigRenderer.render(settings, List.of(real(WEB_4))));
    }
}
