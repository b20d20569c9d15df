package dev.roster.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.roster.core.Fields;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A tiny web app for demos and tests: every request gets {@code {"member": "<name>", "requests": n}}. */
public final class DemoNode implements AutoCloseable {
    /** How long {@link #close()} lets requests in flight finish. */
    private static final long CLOSE_GRACE_NANOS = 1_000_000_000L;

    private final String member;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();

    private DemoNode(String member, HttpServer server, ExecutorService executor) {
        this.member = member;
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code address:port}; port 0 picks a free one. */
    public static DemoNode start(String member, String address, int port) throws IOException {
        Fields.name("member", member);
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "demo-node-" + member);
            thread.setDaemon(true);
            return thread;
        });
        DemoNode node = new DemoNode(member, server, executor);
        server.createContext("/", node::handle);
        server.setExecutor(executor);
        server.start();
        return node;
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            byte[] body = ("{\"member\":\"" + member + "\",\"requests\":" + requests.incrementAndGet() + "}\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            inFlight.decrementAndGet();
        }
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
        // Requests in flight get up to a second to finish; HttpServer.stop(1) would always wait the whole
        // second, even with nothing in flight.
        long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
