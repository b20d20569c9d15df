package dev.roster.config;

import com.sun.net.httpserver.HttpServer;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.roster.config.TestSupport.answersWithin;
import static dev.roster.config.TestSupport.get;
import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/** A real HAProxy in master-worker mode, real backends, real reloads through the master CLI. */
class HaproxyReloadIT {
    @TempDir
    Path workDir;

    private final List<HttpServer> servers = new ArrayList<>();
    private final java.util.Map<String, HttpServer> byName = new java.util.HashMap<>();
    private HaproxyProcess haproxy;
    private int frontendPort;
    private ConfigBuilderSettings settings;

    @BeforeEach
    void setUp() {
        TestSupport.assumeHaproxy();
        frontendPort = TestSupport.freePort();
        settings = ConfigBuilderSettings.defaults("unused:9092", workDir)
                .withHaproxyBinary(TestSupport.HAPROXY)
                .withFrontend("127.0.0.1", frontendPort)
                .withMasterSocket(workDir.resolve("master.sock"));
    }

    @AfterEach
    void tearDown() {
        if (haproxy != null) {
            haproxy.close();
        }
        servers.forEach(server -> server.stop(0));
    }

    /** A backend on 127.0.0.1 that answers every request with its name. */
    private int backend(String name) throws IOException {
        HttpServer server = TestSupport.namedBackend(name);
        servers.add(server);
        byName.put(name, server);
        return server.getAddress().getPort();
    }

    /** Sends {@code count} requests, each on a new connection, and returns the answers in order. */
    private List<String> answers(int count, String host) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(get(frontendPort, host));
        }
        return answers;
    }

    /** One column of {@code show stat} for one server, as text. */
    private String stat(RuntimeApi api, String backend, String server, String column) throws IOException {
        List<String> lines = TestSupport.lines(api.command("show stat"));
        List<String> header = List.of(lines.get(0).substring(2).split(","));
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > 1 && fields[0].equals(backend) && fields[1].equals(server)) {
                return fields[header.indexOf(column)];
            }
        }
        throw new AssertionError("no server " + backend + "/" + server + " in show stat");
    }

    private ServerStates.Server serverState(RuntimeApi api, String server) throws IOException {
        return ServerStates.parse(api.showServersState()).stream().filter(s -> s.server().equals(server)).findFirst()
                .orElseThrow();
    }

    /** Version 1 with {@code members} goes live, then HAProxy starts and loads it. */
    private ConfigApplier runningWith(ConfigBuilderSettings settings, dev.roster.core.Member... members) throws IOException {
        ConfigApplier applier = ConfigApplier.create(settings);
        applier.apply(List.of(pool("web", 1, 0, 0, members)));
        haproxy = HaproxyProcess.start(settings);
        assertThat(applier.retryPendingReload()).map(MasterCli.ReloadResult::succeeded).contains(true);
        return applier;
    }

    @Test
    void drainWeightAndAddressGoThroughTheRuntimeApiWithoutReloadAndAReloadKeepsThem() throws Exception {
        int one = backend("one");
        int two = backend("two");
        int three = backend("three");
        int four = backend("four");
        ConfigApplier applier = runningWith(settings, member("one", "127.0.0.1", one), member("two", "127.0.0.1", two));
        RuntimeApi api = new RuntimeApi(settings.statsSocket().orElseThrow(), Duration.ofSeconds(2));
        MasterCli.Procs before = haproxy.masterCli().procs();

        VersionRecord drained = applier.apply(List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one),
                new dev.roster.core.Member("two", "127.0.0.1", two, 1, java.util.Map.of(),
                        dev.roster.core.Member.DRAINING)))).orElseThrow();

        assertThat(drained.activation()).isEqualTo(VersionRecord.BY_RUNTIME_API);
        assertThat(drained.runtimeCommands()).containsExactly("set server web/two state drain",
                "set server web/two weight 0");
        assertThat(haproxy.masterCli().procs()).as("no reload").isEqualTo(before);
        assertThat(answers(10, "web.test")).containsOnly("200 one");
        assertThat(settings.liveFile()).hasContent(applier.store().text(2));

        VersionRecord moved = applier.apply(List.of(pool("web", 3, 0, 2, new dev.roster.core.Member("one", "127.0.0.1",
                one, 3, java.util.Map.of()), member("two", "127.0.0.1", three)))).orElseThrow();

        assertThat(moved.activation()).isEqualTo(VersionRecord.BY_RUNTIME_API);
        assertThat(moved.runtimeCommands()).containsExactly("set server web/one weight 3",
                "set server web/two addr 127.0.0.1 port " + three, "set server web/two weight 1",
                "set server web/two state ready");
        assertThat(haproxy.masterCli().procs()).as("still no reload").isEqualTo(before);
        assertThat(answers(8, "web.test")).containsOnly("200 one", "200 three").contains("200 three");

        VersionRecord grown = applier.apply(List.of(pool("web", 4, 0, 3, new dev.roster.core.Member("one", "127.0.0.1",
                one, 3, java.util.Map.of()), member("two", "127.0.0.1", three), member("x", "127.0.0.1", four))))
                .orElseThrow();

        assertThat(grown.activation()).isEqualTo(VersionRecord.BY_RUNTIME_API);
        assertThat(grown.runtimeCommands()).containsExactly("add server web/x 127.0.0.1:" + four + " id "
                + ServerIds.preferred("x") + " check inter 1s fall 2 rise 2 weight 1", "enable health web/x",
                "enable server web/x");
        assertThat(haproxy.masterCli().procs()).as("a join needs no reload").isEqualTo(before);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 three", "200 four")))
                .containsExactlyInAnyOrder("200 one", "200 three", "200 four");

        VersionRecord shrunk = applier.apply(List.of(pool("web", 5, 0, 4, new dev.roster.core.Member("one", "127.0.0.1",
                one, 3, java.util.Map.of()), member("x", "127.0.0.1", four)))).orElseThrow();

        assertThat(shrunk.activation()).isEqualTo(VersionRecord.BY_RUNTIME_API);
        assertThat(shrunk.runtimeCommands()).containsExactly("set server web/two state maint", "del server web/two");
        assertThat(haproxy.masterCli().procs()).as("a leave needs no reload").isEqualTo(before);
        assertThat(answers(8, "web.test")).containsOnly("200 one", "200 four");

        VersionRecord newPool = applier.apply(List.of(pool("web", 5, 0, 4, new dev.roster.core.Member("one",
                "127.0.0.1", one, 3, java.util.Map.of()), member("x", "127.0.0.1", four)),
                pool("api", 1, 1, 0, member("a", "127.0.0.1", two)))).orElseThrow();

        assertThat(newPool.activation()).as("a new pool is a new backend").isEqualTo(VersionRecord.BY_RELOAD);
        assertThat(newPool.runtimeCommands()).isEmpty();
        assertThat(haproxy.masterCli().procs().workers()).doesNotContainAnyElementsOf(before.workers());
        assertThat(serverState(api, "one").userWeight()).as("kept by the reload").isEqualTo(3);
        assertThat(serverState(api, "x").port()).isEqualTo(four);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 four")))
                .containsExactlyInAnyOrder("200 one", "200 four");
        assertThat(get(frontendPort, "api.test")).isEqualTo("200 two");
    }

    @Test
    void aJoinWithAHostNameOrAnUnknownPoolWaitsForAReloadWhenReloadsAreHeldBack() throws Exception {
        int one = backend("one");
        int two = backend("two");
        ConfigApplier applier = runningWith(settings, member("one", "127.0.0.1", one));
        MasterCli.Procs before = haproxy.masterCli().procs();
        List<PoolSnapshot> withHostName = List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one),
                member("two", "localhost", two)));

        ConfigApplier.Attempt held = applier.apply(withHostName, false);

        assertThat(held.waitsForReload()).isTrue();
        assertThat(held.version()).isEmpty();
        assertThat(applier.store().versions()).containsExactly(1L);
        assertThat(haproxy.masterCli().procs()).isEqualTo(before);

        ConfigApplier.Attempt done = applier.apply(withHostName, true);

        assertThat(done.waitsForReload()).isFalse();
        assertThat(done.version().orElseThrow().activation()).isEqualTo(VersionRecord.BY_RELOAD);
        assertThat(applier.lastReloadAt()).isPresent();
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");
    }

    @Test
    void aServerDownOrDrainedBeforeAReloadGetsNoTrafficRightAfterIt() throws Exception {
        int one = backend("one");
        int two = backend("two");
        int three = backend("three");
        int four = backend("four");
        ConfigApplier applier = runningWith(settings, member("one", "127.0.0.1", one), member("two", "127.0.0.1", two),
                member("three", "127.0.0.1", three));
        RuntimeApi api = new RuntimeApi(settings.statsSocket().orElseThrow(), Duration.ofSeconds(2));
        applier.apply(List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one), member("two", "127.0.0.1", two),
                new dev.roster.core.Member("three", "127.0.0.1", three, 1, java.util.Map.of(),
                        dev.roster.core.Member.DRAINING))));
        byName.get("two").stop(0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stat(api, "web", "two", "status").equals("DOWN"));

        // The new pool makes it a reload.
        VersionRecord reloaded = applier.apply(List.of(pool("web", 3, 0, 2, member("one", "127.0.0.1", one),
                member("two", "127.0.0.1", two), new dev.roster.core.Member("three", "127.0.0.1", three, 1,
                        java.util.Map.of(), dev.roster.core.Member.DRAINING), member("four", "127.0.0.1", four)),
                pool("api", 1, 1, 0, member("a", "127.0.0.1", four)))).orElseThrow();
        List<String> right = answers(12, "web.test");

        assertThat(reloaded.activation()).isEqualTo(VersionRecord.BY_RELOAD);
        assertThat(Files.readString(settings.serverStateFile())).contains(" web ", " two ", " three ");
        assertThat(right).containsOnly("200 one", "200 four");
        assertThat(stat(api, "web", "two", "status")).isEqualTo("DOWN");
        assertThat(stat(api, "web", "two", "econ")).as("no connection tried to the down server").isIn("", "0");
        assertThat(stat(api, "web", "three", "status")).isEqualTo("DRAIN");
        assertThat(serverState(api, "three").drained()).as("drain state loaded from the file").isTrue();
    }

    @Test
    void aFailedReloadGoesBackToTheLastGoodVersionAndSaysSo() throws Exception {
        int one = backend("one");
        int two = backend("two");
        // A member tagged bind=<port> makes this template bind that port too: haproxy -c accepts it, but a
        // reload fails while something else holds the port.
        Path template = Files.writeString(workDir.resolve("binding.hbs"), ConfigRenderer.defaultTemplate().templateText()
                + "{{#each pools}}{{#each members}}{{#if tags.bind}}\nlisten extra-{{name}}\n"
                + "    bind 127.0.0.1:{{tags.bind}}\n{{/if}}{{/each}}{{/each}}");
        ConfigBuilderSettings binding = settings.withTemplateFile(template);
        ConfigApplier applier = runningWith(binding, member("one", "127.0.0.1", one));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<Long> workers = haproxy.masterCli().procs().workers();

            VersionRecord failed = applier.apply(List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one),
                    new dev.roster.core.Member("two", "127.0.0.1", two, 1,
                            java.util.Map.of("bind", String.valueOf(taken.getLocalPort())))))).orElseThrow();

            assertThat(failed.status()).isEqualTo(VersionRecord.REJECTED);
            assertThat(failed.reason()).isEqualTo("reload failed: HAProxy's master counts 1 failed reloads, was 0;"
                    + " rolled back to version 1");
            assertThat(failed.rolledBackTo()).isEqualTo(1);
            assertThat(binding.liveFile()).hasContent(applier.store().text(1));
            assertThat(haproxy.masterCli().procs().workers()).as("reloaded back").doesNotContainAnyElementsOf(workers);
            assertThat(applier.reloadPending()).isFalse();
            assertThat(answers(4, "web.test")).containsOnly("200 one");
        }

        VersionRecord next = applier.apply(List.of(pool("web", 3, 0, 2, member("one", "127.0.0.1", one),
                member("two", "127.0.0.1", two)))).orElseThrow();

        assertThat(next.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");
    }

    @Test
    void reloadBringsInASecondServerAndARejectedConfigLeavesTheOldOneServing() throws Exception {
        int one = backend("one");
        int two = backend("two");
        ConfigApplier applier = ConfigApplier.create(settings);

        VersionRecord v1 = applier.apply(List.of(pool("web", 1, 0, 0, member("one", "127.0.0.1", one)))).orElseThrow();
        assertThat(v1.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(v1.reason()).isEqualTo("not reloaded: HAProxy is not running (no master socket at "
                + workDir.resolve("master.sock") + ")");

        haproxy = HaproxyProcess.start(settings);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one"))).containsExactly("200 one");
        List<Long> firstWorkers = haproxy.masterCli().procs().workers();

        long start = System.nanoTime();
        // A host name: the runtime API cannot add that server, HAProxy reloads.
        VersionRecord v2 = applier.apply(List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one),
                member("two", "localhost", two)))).orElseThrow();
        System.out.printf("haproxy -c + activation + reload confirmed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(v2.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(v2.activation()).isEqualTo(VersionRecord.BY_RELOAD);
        assertThat(v2.reason()).isEmpty();
        List<Long> secondWorkers = haproxy.masterCli().procs().workers();
        assertThat(secondWorkers).isNotEmpty().doesNotContainAnyElementsOf(firstWorkers);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");

        VersionRecord v3 = applier.apply(List.of(pool("web", 3, 0, 2, member("one", "127.0.0.1", one),
                member("one", "127.0.0.1", two)))).orElseThrow();
        assertThat(v3.status()).isEqualTo(VersionRecord.REJECTED);
        assertThat(v3.reason()).contains("'server web/one' : 'id' : custom id " + ServerIds.preferred("one") + " already used");
        assertThat(settings.liveFile()).hasContent(applier.store().text(2));
        assertThat(haproxy.masterCli().procs().workers()).as("no reload after a rejection").isEqualTo(secondWorkers);
        assertThat(answersWithin(frontendPort, Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");
    }

    @Test
    void routesByHostPrefixAndSendsOtherHostsToTheFirstPoolByName() throws Exception {
        int one = backend("one");
        int two = backend("two");
        List<PoolSnapshot> pools = List.of(pool("web", 1, 0, 0, member("w", "127.0.0.1", two)),
                pool("api", 1, 1, 0, member("a", "127.0.0.1", one)));
        Files.createDirectories(workDir);
        new LiveFile(settings.liveFile()).activate(ConfigRenderer.render(settings, pools));

        haproxy = HaproxyProcess.start(settings);

        assertThat(get(frontendPort, "api.example.com")).isEqualTo("200 one");
        assertThat(get(frontendPort, "WEB.example.com:8080")).isEqualTo("200 two");
        assertThat(get(frontendPort, "other.example.com")).isEqualTo("200 one");
        assertThat(get(frontendPort, "webapi")).as("prefix must end with a dot").isEqualTo("200 one");
    }

    @Test
    void masterCliReloadStartsANewWorkerThatShowProcLists() throws Exception {
        new LiveFile(settings.liveFile()).activate(ConfigRenderer.render(settings, List.of()));
        haproxy = HaproxyProcess.start(settings);
        MasterCli cli = haproxy.masterCli();
        MasterCli.Procs before = cli.procs();

        MasterCli.ReloadResult result = cli.reload(Duration.ofSeconds(5));

        System.out.printf("master CLI reload confirmed in %d ms%n", result.took().toMillis());
        assertThat(result.succeeded()).as(result.message()).isTrue();
        assertThat(result.message()).isEqualTo("reloaded: new worker " + result.newWorkers());
        MasterCli.Procs after = cli.procs();
        assertThat(after.master()).isEqualTo(before.master()).isEqualTo(haproxy.pid());
        assertThat(after.reloads()).isEqualTo(before.reloads() + 1);
        assertThat(after.workers()).isEqualTo(result.newWorkers()).doesNotContainAnyElementsOf(before.workers());
        assertThat(cli.showProc()).startsWith("#<PID>").contains("# workers");
    }

    @Test
    void reloadIsReportedAsFailedWhenTheLiveFileBreaksBehindTheBuildersBack() throws Exception {
        new LiveFile(settings.liveFile()).activate(ConfigRenderer.render(settings, List.of()));
        haproxy = HaproxyProcess.start(settings);
        Files.writeString(settings.liveFile(), "global\n    bogus-keyword\n");

        MasterCli.ReloadResult result = haproxy.masterCli().reload(Duration.ofSeconds(3));

        assertThat(result.succeeded()).isFalse();
        assertThat(result.message()).startsWith("reload failed: HAProxy's master counts 1 failed reloads, was 0");
        assertThat(haproxy.isAlive()).isTrue();
        assertThat(get(frontendPort, "x")).as("the old worker still serves").startsWith("503 ");
    }

    @Test
    void closeStopsHaproxyAndItsWorkers() throws Exception {
        new LiveFile(settings.liveFile()).activate(ConfigRenderer.render(settings, List.of()));
        haproxy = HaproxyProcess.start(settings);
        List<Long> workers = haproxy.masterCli().procs().workers();

        haproxy.close();

        assertThat(haproxy.isAlive()).isFalse();
        assertThat(workers).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(
                java.util.Optional.of(true)));
        assertThat(get(frontendPort, "x")).startsWith("ERROR ");
    }

    @Test
    void startFailsWithHaproxysMessageWhenTheConfigIsBroken() throws Exception {
        Files.writeString(settings.liveFile(), "global\n    bogus-keyword\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HaproxyProcess.start(settings))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("haproxy exited with code 1 at start: ")
                .hasMessageContaining("unknown keyword 'bogus-keyword' in 'global' section");
    }
}
