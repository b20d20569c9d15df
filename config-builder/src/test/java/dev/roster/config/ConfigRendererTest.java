package dev.roster.config;

import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigRendererTest {
    private static final String DEFAULTS = """
            defaults
                mode http
                log global
                option dontlognull
                # A new server connection per request: no idle keep-alive connection to a server that is leaving or
                # dying can be picked for a request just as it closes. Clients keep their own connections alive.
                option http-server-close
                # A request that could not reach its server, or got no answer, is sent again, each time to another
                # server, so that a member that dies before its health checks notice costs clients nothing. Only
                # GET and HEAD are retried once sent (see disable-l7-retry below); others only when the connection failed.
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response response-timeout
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout http-request 10s
                timeout http-keep-alive 10s
                timeout queue 30s
                timeout check 2s
            """;

    private static final String HEADER_AND_DEFAULTS = """
            global
                log stderr format raw local0 notice
                # Old workers finish their connections after a reload, but not forever.
                hard-stop-after 30s

            """ + DEFAULTS + """
                # A member whose host name does not resolve starts disabled instead of failing the whole config.
                default-server init-addr libc,none

            """;

    private final ConfigRenderer renderer = ConfigRenderer.defaultTemplate();

    private static List<PoolSnapshot> twoPools() {
        PoolSnapshot web = pool("web", 3, 0, 17,
                new Member("web-2", "10.0.0.2", 8080, 1, Map.of("zone", "b")),
                new Member("web-1", "10.0.0.1", 8080, 10, Map.of()),
                new Member("web-3", "10.0.0.3", 8080, 5, Map.of(), Member.DRAINING));
        PoolSnapshot api = pool("api", 1, 2, 4, member("api-1", "api1.example.com", 9000));
        return List.of(web, api);
    }

    @Test
    void rendersPoolsAndMembersSortedByNameAndDrainingMembersAtWeightZero() {
        String text = renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, twoPools()));

        assertThat(text).isEqualTo("""
                # haproxy.cfg for instance haproxy-1, rendered by roster config-builder.
                # Do not edit: the next change of any pool replaces this file.
                # Built from roster.events:
                #   pool api version 1 through partition 2 offset 4
                #   pool web version 3 through partition 0 offset 17

                """ + HEADER_AND_DEFAULTS + """
                frontend roster
                    # Each pool is a backend of its own. A request goes to pool P when its Host header starts with "P."
                    # (web.example.com goes to pool web); any other request goes to the first pool by name.
                    bind 127.0.0.1:8080
                    http-request disable-l7-retry unless METH_GET
                    use_backend api if { hdr_beg(host) -i api. }
                    use_backend web if { hdr_beg(host) -i web. }
                    default_backend api

                # One backend per pool. roundrobin (random above 4095 servers, roundrobin's limit) lets the config builder
                # add and delete servers at runtime; server ids derive from the names, so a join changes no other server's
                # line (and HAProxy need not number thousands of servers itself).

                backend api
                    balance roundrobin
                    server api-1 api1.example.com:9000 id 1069392646 check inter 1s fall 2 rise 2 weight 1

                backend web
                    balance roundrobin
                    server web-1 10.0.0.1:8080 id 999262568 check inter 1s fall 2 rise 2 weight 10
                    server web-2 10.0.0.2:8080 id 579262674 check inter 1s fall 2 rise 2 weight 1
                    server web-3 10.0.0.3:8080 id 1434576964 check inter 1s fall 2 rise 2 weight 0
                """);
    }

    @Test
    void declaresTheRuntimeSocketAndServerStateWhenTheModelNamesThem() {
        String text = renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, "/srv/roster/haproxy.sock",
                "/srv/roster/server-state", List.of()));

        assertThat(text).isEqualTo("""
                # haproxy.cfg for instance haproxy-1, rendered by roster config-builder.
                # Do not edit: the next change of any pool replaces this file.
                # Built from roster.events:
                #   no pools

                global
                    log stderr format raw local0 notice
                    # Old workers finish their connections after a reload, but not forever.
                    hard-stop-after 30s
                    # The config builder drains, weighs and moves servers through this socket without a reload, and
                    # saves their state from it just before each reload.
                    stats socket '/srv/roster/haproxy.sock' mode 600 level admin expose-fd listeners
                    server-state-file '/srv/roster/server-state'

                """ + DEFAULTS + """
                    # After a reload, servers keep what the previous worker knew: down after failed checks, drained.
                    load-server-state-from-file global
                    # A member whose host name does not resolve starts disabled instead of failing the whole config.
                    default-server init-addr libc,none

                frontend roster
                    # Each pool is a backend of its own. A request goes to pool P when its Host header starts with "P."
                    # (web.example.com goes to pool web); any other request goes to the first pool by name.
                    bind 127.0.0.1:8080
                    http-request disable-l7-retry unless METH_GET
                """);
    }

    @Test
    void rendersNoPoolsAsAFrontendWithoutDefaultBackend() {
        String text = renderer.render(new ConfigModel("edge-7", "0.0.0.0", 80, List.of()));

        assertThat(text).isEqualTo("""
                # haproxy.cfg for instance edge-7, rendered by roster config-builder.
                # Do not edit: the next change of any pool replaces this file.
                # Built from roster.events:
                #   no pools

                """ + HEADER_AND_DEFAULTS + """
                frontend roster
                    # Each pool is a backend of its own. A request goes to pool P when its Host header starts with "P."
                    # (web.example.com goes to pool web); any other request goes to the first pool by name.
                    bind 0.0.0.0:80
                    http-request disable-l7-retry unless METH_GET
                """);
    }

    @Test
    void rendersAPoolWithoutMembersAsAnEmptyBackend() {
        String text = renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, List.of(pool("idle", 2, 0, 5))));

        assertThat(text).endsWith("""
                frontend roster
                    # Each pool is a backend of its own. A request goes to pool P when its Host header starts with "P."
                    # (web.example.com goes to pool web); any other request goes to the first pool by name.
                    bind 127.0.0.1:8080
                    http-request disable-l7-retry unless METH_GET
                    use_backend idle if { hdr_beg(host) -i idle. }
                    default_backend idle

                # One backend per pool. roundrobin (random above 4095 servers, roundrobin's limit) lets the config builder
                # add and delete servers at runtime; server ids derive from the names, so a join changes no other server's
                # line (and HAProxy need not number thousands of servers itself).

                backend idle
                    balance roundrobin
                """);
    }

    @Test
    void rendersTheSameBytesForTheSameSnapshotsInAnyOrder() {
        List<PoolSnapshot> pools = twoPools();
        String first = renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, pools));
        String again = ConfigRenderer.defaultTemplate()
                .render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, List.of(pools.get(1), pools.get(0))));

        assertThat(again.getBytes(StandardCharsets.UTF_8)).isEqualTo(first.getBytes(StandardCharsets.UTF_8));
        assertThat(Sha256.hex(again)).isEqualTo(Sha256.hex(first));
    }

    @Test
    void rendersOnceWithoutKafkaFromSettings(@TempDir Path dir) {
        ConfigBuilderSettings settings = ConfigBuilderSettings.defaults("unused:9092", dir).withInstanceId("haproxy-1");

        assertThat(ConfigRenderer.render(settings, twoPools()))
                .isEqualTo(renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080,
                        dir.resolve("haproxy.sock").toString(), dir.resolve("server-state").toString(), twoPools())));
    }

    @Test
    void emptyModelRendersAConfigThatHaproxyAccepts(@TempDir Path dir) throws IOException {
        TestSupport.assumeHaproxy();
        Path file = dir.resolve("empty.cfg");
        Files.writeString(dir.resolve("server-state"), ServerStateFile.EMPTY);
        Files.writeString(file, renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080,
                dir.resolve("haproxy.sock").toString(), dir.resolve("server-state").toString(), List.of())));

        HaproxyValidator.Result result = new HaproxyValidator(TestSupport.HAPROXY, Duration.ofSeconds(10)).validate(file);

        assertThat(result).isEqualTo(new HaproxyValidator.Result(true, "Configuration file is valid"));
    }

    @Test
    void twoPoolsRenderAConfigThatHaproxyAccepts(@TempDir Path dir) throws IOException {
        TestSupport.assumeHaproxy();
        Path file = dir.resolve("two.cfg");
        Files.writeString(file, renderer.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, twoPools())));

        HaproxyValidator.Result result = new HaproxyValidator(TestSupport.HAPROXY, Duration.ofSeconds(10)).validate(file);

        // api1.example.com need not resolve here: init-addr none disables the server instead of failing.
        assertThat(result.valid()).as(result.message()).isTrue();
    }

    /** A pool of {@code size} members with addresses that need no resolving. */
    private static PoolSnapshot large(String name, int size) {
        Member[] members = new Member[size];
        for (int i = 0; i < size; i++) {
            members[i] = member(name + "-" + i, "10.1." + (i / 250) + "." + (i % 250 + 1), 8080);
        }
        return pool(name, 1, 0, 1, members);
    }

    @Test
    void aPoolAboveRoundrobinsLimitIsBalancedAtRandomAndHaproxyAcceptsIt(@TempDir Path dir) throws IOException {
        ConfigModel model = new ConfigModel("haproxy-1", "127.0.0.1", 8080,
                List.of(large("big", ConfigModel.ROUNDROBIN_MAX_SERVERS + 1), large("small", ConfigModel.ROUNDROBIN_MAX_SERVERS)));
        String text = renderer.render(model);

        assertThat(text).contains("backend big\n    balance random\n", "backend small\n    balance roundrobin\n");
        TestSupport.assumeHaproxy();
        Path file = Files.writeString(dir.resolve("large.cfg"), text);
        HaproxyValidator.Result result = new HaproxyValidator(TestSupport.HAPROXY, Duration.ofSeconds(30)).validate(file);
        assertThat(result.valid()).as(result.message()).isTrue();
    }

    @Test
    void writesValuesWithoutHtmlEscaping() {
        ConfigRenderer custom = ConfigRenderer.fromText("tags.hbs",
                "{{#each pools}}{{#each members}}{{#each tags}}{{@key}}={{this}}\n{{/each}}{{/each}}{{/each}}");
        PoolSnapshot pool = pool("web", 1, 0, 0, new Member("web-1", "10.0.0.1", 80, 1,
                Map.of("expr", "a&b<c>=d", "zone", "eu-1")));

        assertThat(custom.render(new ConfigModel("haproxy-1", "127.0.0.1", 8080, List.of(pool))))
                .isEqualTo("expr=a&b<c>=d\nzone=eu-1\n");
    }

    @Test
    void exposesTheSha256OfTheTemplateText() throws IOException {
        byte[] template;
        try (InputStream in = ConfigRenderer.class.getResourceAsStream(ConfigRenderer.DEFAULT_TEMPLATE_RESOURCE)) {
            template = in.readAllBytes();
        }

        assertThat(renderer.templateSha256()).isEqualTo(Sha256.hex(template)).hasSize(64);
        assertThat(ConfigRenderer.fromText("x", "a").templateSha256())
                .isEqualTo("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
    }

    @Test
    void readsATemplateFileNamedInSettings(@TempDir Path dir) throws IOException {
        Path template = Files.writeString(dir.resolve("mine.hbs"), "instance {{instance}} on {{frontendPort}}\n");
        ConfigBuilderSettings settings = ConfigBuilderSettings.defaults("unused:9092", dir).withTemplateFile(template);

        assertThat(ConfigRenderer.render(settings, List.of())).isEqualTo("instance haproxy-1 on 8080\n");
    }

    @Test
    void rejectsTwoSnapshotsOfOnePool() {
        assertThatThrownBy(() -> new ConfigModel("haproxy-1", "127.0.0.1", 8080,
                List.of(pool("web", 1, 0, 0), pool("web", 2, 0, 1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pools must hold one snapshot per pool, had two for web");
    }
}
