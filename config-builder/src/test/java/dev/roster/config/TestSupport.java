package dev.roster.config;

import com.sun.net.httpserver.HttpServer;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shared by the tests: HAProxy presence, free ports, snapshots, raw HTTP through the frontend. */
final class TestSupport {
    static final String HAPROXY = "haproxy";

    private TestSupport() {
    }

    /** Skips the test when HAProxy is missing, except on CI (env CI set), which installs it: there it fails. */
    static void assumeHaproxy() {
        if (HaproxyProcess.isInstalled(HAPROXY)) {
            return;
        }
        if (System.getenv("CI") != null) {
            Assertions.fail("CI is set but '" + HAPROXY + " -v' does not run: CI must install HAProxy (apt-get install haproxy)");
        }
        Assumptions.abort("'" + HAPROXY + " -v' does not run: install HAProxy (apt-get install haproxy) to run this test");
    }

    /** A started HTTP server on 127.0.0.1 (any free port) that answers every request with {@code name}. */
    static HttpServer namedBackend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Member member(String name, String address, int port) {
        return new Member(name, address, port, 1, Map.of());
    }

    static PoolSnapshot pool(String name, long version, int partition, long offset, Member... members) {
        return new PoolSnapshot(name, version, Arrays.asList(members), new LogPosition(partition, offset),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** HAProxy prefixes its messages with its PID; tests compare the rest. */
    static String withoutPids(String haproxyOutput) {
        return haproxyOutput.replaceAll("\\(\\d+\\)", "(PID)");
    }

    /**
     * One HTTP/1.1 GET on a new connection with {@code Connection: close}; returns the status line and
     * body as "STATUS BODY" (e.g. "200 one"), or "ERROR message" if the connection failed.
     */
    static String get(int port, String host) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                return "ERROR incomplete response: " + response;
            }
            String status = response.substring(0, response.indexOf("\r\n")).split(" ")[1];
            return status + " " + response.substring(headersEnd + 4).trim();
        } catch (IOException e) {
            return "ERROR " + e.getMessage();
        }
    }

    /**
     * Sends requests through the frontend on {@code port} (a new connection each) until every expected answer
     * was seen, for at most {@code limit}; returns every answer seen.
     */
    static Set<String> answersWithin(int port, Duration limit, String host, Set<String> expected)
            throws InterruptedException {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && !seen.containsAll(expected)) {
            seen.add(get(port, host));
            Thread.sleep(20);
        }
        return seen;
    }

    static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }
}
