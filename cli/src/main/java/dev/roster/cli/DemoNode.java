package dev.roster.cli;

import com.sun.net.httpserver.HttpServer;
import dev.roster.core.Fields;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** A tiny web app for demos and tests: every request gets {@code {"member": "<name>", "requests": n}}. */
public final class DemoNode implements AutoCloseable {
    private final String member;
    private final HttpServer server;
    private final AtomicLong requests = new AtomicLong();

    private DemoNode(String member, HttpServer server) {
        this.member = member;
        this.server = server;
    }

    /** Starts serving on {@code address:port}; port 0 picks a free one. */
    public static DemoNode start(String member, String address, int port) throws IOException {
        Fields.name("member", member);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        DemoNode node = new DemoNode(member, server);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"member\":\"" + member + "\",\"requests\":" + node.requests.incrementAndGet() + "}\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "demo-node-" + member);
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return node;
    }

    public String member() {
        return member;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        // Requests already in flight get a moment to finish; new connections are refused at once.
        server.stop(1);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
