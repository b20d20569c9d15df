package dev.roster.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code roster history …} against a stand-in API that answers what the real one answers for these paths. */
class HistoryCommandTest {
    private HttpServer server;
    private final Map<String, String[]> answers = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final List<String> tokens = new ArrayList<>();

    private record Result(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            asked.add(path);
            tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String[] answer = answers.getOrDefault(path, new String[] {"404", "{\"error\":\"not found\",\"detail\":\"no such endpoint: GET " + path + "\"}"});
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(String path, String body) {
        answers.put(path, new String[] {"200", body});
    }

    private Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--api=http://127.0.0.1:" + server.getAddress().getPort());
        all.add(0, "history");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Roster.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static String lines(String... lines) {
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    @Test
    void printsAPoolsMembersAsATable() {
        answer("/api/pools/web/members?version=3", "{\"pool\":\"web\",\"version\":3,\"since\":\"2026-11-27T10:02:00Z\","
                + "\"members\":[{\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":8081,\"weight\":100,\"tags\":{},\"state\":"
                + "\"draining\"},{\"name\":\"s22\",\"address\":\"10.0.0.22\",\"port\":80,\"weight\":5,\"tags\":{\"zone\":\"a\"},"
                + "\"state\":\"active\"}]}");
        Result result = run("members", "--pool", "web", "--version", "3");
        assertThat(result.err()).isEmpty();
        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo(lines(
                "pool web, version 3 since 2026-11-27T10:02:00Z",
                "NAME  ADDRESS    PORT  WEIGHT  STATE     TAGS",
                "s1    127.0.0.1  8081  100     draining",
                "s22   10.0.0.22  80    5       active    zone=a"));
    }

    @Test
    void printsTheApisJsonForScripts() {
        String body = "{\"pool\":\"web\",\"version\":0,\"since\":null,\"at\":\"2026-11-27T09:00:00Z\",\"members\":[]}";
        answer("/api/pools/web/members?at=2026-11-27T09%3A00%3A00Z", body);
        Result result = run("members", "--pool", "web", "--at", "2026-11-27T09:00:00Z", "--json");
        assertThat(result.out()).isEqualTo(lines(body));
    }

    @Test
    void followsTheCursorThroughEveryPageOfEvents() {
        answer("/api/pools/web/events?type=member-joined&limit=1000", "{\"pool\":\"web\",\"events\":[{\"type\":\"member-joined\","
                + "\"member\":\"s1\",\"incarnation\":1,\"at\":\"2026-11-27T10:00:00Z\",\"source\":\"agent\",\"address\":"
                + "\"127.0.0.1\",\"port\":8081,\"weight\":100,\"tags\":{},\"applied\":true,\"poolVersion\":1}],\"next\":\"Y1\"}");
        answer("/api/pools/web/events?type=member-joined&limit=999&cursor=Y1", "{\"pool\":\"web\",\"events\":[{\"type\":"
                + "\"member-joined\",\"member\":\"s2\",\"incarnation\":4,\"at\":\"2026-11-27T10:01:00Z\",\"source\":\"agent\","
                + "\"address\":\"127.0.0.1\",\"port\":8082,\"weight\":100,\"tags\":{},\"applied\":false,\"poolVersion\":1}],"
                + "\"next\":null}");
        Result result = run("events", "--pool", "web", "--type", "member-joined");
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo(lines(
                "AT                    MEMBER  TYPE           INCARNATION  APPLIED  VERSION  SOURCE  DETAIL",
                "2026-11-27T10:00:00Z  s1      member-joined  1            yes      1        agent   127.0.0.1:8081 weight 100",
                "2026-11-27T10:01:00Z  s2      member-joined  4            no       1        agent   127.0.0.1:8082 weight 100"));
    }

    @Test
    void listsConfigVersionsAndPrintsADiff() {
        answer("/api/configs?limit=1000", "{\"instance\":\"haproxy-1\",\"instances\":[\"haproxy-1\"],\"versions\":["
                + "{\"instance\":\"haproxy-1\",\"version\":7,\"sha256\":\"0123456789abcdef\",\"poolVersions\":{\"web\":4},"
                + "\"status\":\"applied\",\"reason\":\"\",\"at\":\"2026-11-27T10:00:01Z\"},"
                + "{\"instance\":\"haproxy-1\",\"version\":8,\"sha256\":\"fedcba9876543210\",\"poolVersions\":{\"api\":1,\"web\":5},"
                + "\"status\":\"rejected\",\"reason\":\"[ALERT] line 9\\nmore\",\"at\":\"2026-11-27T10:00:02Z\"}],\"next\":null}");
        assertThat(run("configs").out()).isEqualTo(lines(
                "instance haproxy-1",
                "VERSION  STATUS    AT                    SHA256        POOLS        REASON",
                "7        applied   2026-11-27T10:00:01Z  0123456789ab  web@4",
                "8        rejected  2026-11-27T10:00:02Z  fedcba987654  api@1,web@5  [ALERT] line 9 more"));

        answer("/api/configs/7/diff/8", "{\"instance\":\"haproxy-1\",\"from\":7,\"to\":8,\"diff\":\"--- haproxy-000007.cfg\\n"
                + "+++ haproxy-000008.cfg\\n@@ -1,1 +1,1 @@\\n-a\\n+b\\n\"}");
        Result diff = run("diff", "7", "8");
        assertThat(diff.out()).isEqualTo("--- haproxy-000007.cfg\n+++ haproxy-000008.cfg\n@@ -1,1 +1,1 @@\n-a\n+b\n");
    }

    @Test
    void printsOneConfigsTextAsItIsOrItsJson() {
        String body = "{\"instance\":\"haproxy-1\",\"version\":7,\"config\":\"global\\n  maxconn 100\\n\"}";
        answer("/api/configs/7", body);
        assertThat(run("config", "7").out()).isEqualTo("global\n  maxconn 100\n");
        assertThat(run("config", "7", "--json").out()).isEqualTo(lines(body));
    }

    @Test
    void refusesANonPositiveLimitOrVersionWithoutAskingTheApi() {
        Result limit = run("events", "--pool", "web", "--limit", "0");
        assertThat(limit.code()).isEqualTo(Roster.BAD_INPUT);
        assertThat(limit.err()).isEqualTo(lines("roster history events: limit must be 1 or more, was 0"));

        Result version = run("config", "0");
        assertThat(version.code()).isEqualTo(Roster.BAD_INPUT);
        assertThat(version.err()).isEqualTo(lines("roster history config: version must be 1 or more, was 0"));
        assertThat(tokens).as("requests sent to the API").isEmpty();
    }

    @Test
    void sendsTheTokenWhenGivenOne() {
        answer("/api/pools", "[{\"pool\":\"web\",\"version\":6,\"members\":1}]");
        Result result = run("pools", "--api-token", "t0ken");
        assertThat(result.out()).isEqualTo(lines("POOL  VERSION  MEMBERS", "web   6        1"));
        assertThat(tokens).containsExactly("Bearer t0ken");
    }

    @Test
    void reportsTheApisRefusalInOneLine() {
        answers.put("/api/pools/web/events?limit=1000", new String[] {"400",
                "{\"error\":\"bad parameter: limit\",\"detail\":\"limit must be an integer 1-1000, was \\\"0\\\"\"}"});
        Result bad = run("events", "--pool", "web");
        assertThat(bad.code()).isEqualTo(Roster.BAD_INPUT);
        assertThat(bad.err()).isEqualTo(lines("roster history events: bad parameter: limit: limit must be an integer 1-1000,"
                + " was \"0\""));

        Result unknown = run("members", "--pool", "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo(lines("roster history members: not found: no such endpoint: GET"
                + " /api/pools/nope/members"));

        answers.put("/api/pools", new String[] {"401", "{\"error\":\"unauthorized\",\"detail\":\"needs a token\"}"});
        assertThat(run("pools").err()).isEqualTo(lines("roster history pools: the history API needs a token: set"
                + " --api-token or ROSTER_API_TOKEN (unauthorized: needs a token)"));
    }

    @Test
    void saysSoWhenTheApiIsNotRunning() {
        int port = server.getAddress().getPort();
        server.stop(0);
        Result result = run("pools");
        assertThat(result.code()).isEqualTo(1);
        assertThat(result.err()).isEqualTo(lines("roster history pools: cannot reach the history API at http://127.0.0.1:"
                + port + ": connection refused (is roster up or roster history-api running? set --api or ROSTER_API)"));
    }
}
