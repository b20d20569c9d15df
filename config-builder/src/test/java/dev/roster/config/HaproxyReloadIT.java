package dev.roster.config;

import com.sun.net.httpserver.HttpServer;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.roster.config.TestSupport.get;
import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/** A real HAProxy in master-worker mode, real backends, real reloads through the master CLI. */
class HaproxyReloadIT {
    @TempDir
    Path workDir;

    private final List<HttpServer> servers = new ArrayList<>();
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
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    /** Sends requests (new connection each) until every expected answer was seen, for at most {@code limit}. */
    private Set<String> answersWithin(Duration limit, String host, Set<String> expected) throws InterruptedException {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && !seen.containsAll(expected)) {
            seen.add(get(frontendPort, host));
            Thread.sleep(20);
        }
        return seen;
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
        assertThat(answersWithin(Duration.ofSeconds(5), "web.test", Set.of("200 one"))).containsExactly("200 one");
        List<Long> firstWorkers = haproxy.masterCli().procs().workers();

        long start = System.nanoTime();
        VersionRecord v2 = applier.apply(List.of(pool("web", 2, 0, 1, member("one", "127.0.0.1", one),
                member("two", "127.0.0.1", two)))).orElseThrow();
        System.out.printf("haproxy -c + activation + reload confirmed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(v2.status()).isEqualTo(VersionRecord.APPLIED);
        assertThat(v2.reason()).isEmpty();
        List<Long> secondWorkers = haproxy.masterCli().procs().workers();
        assertThat(secondWorkers).isNotEmpty().doesNotContainAnyElementsOf(firstWorkers);
        assertThat(answersWithin(Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
                .containsExactlyInAnyOrder("200 one", "200 two");

        VersionRecord v3 = applier.apply(List.of(pool("web", 3, 0, 2, member("one", "127.0.0.1", one),
                member("one", "127.0.0.1", two)))).orElseThrow();
        assertThat(v3.status()).isEqualTo(VersionRecord.REJECTED);
        assertThat(v3.reason()).contains("another server named 'one' was already defined");
        assertThat(settings.liveFile()).hasContent(applier.store().text(2));
        assertThat(haproxy.masterCli().procs().workers()).as("no reload after a rejection").isEqualTo(secondWorkers);
        assertThat(answersWithin(Duration.ofSeconds(5), "web.test", Set.of("200 one", "200 two")))
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
