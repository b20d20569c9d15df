package dev.roster.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Membership changes must be invisible to clients: under a steady load through HAProxy, ten joins and
 * ten graceful leaves (drain, leave, wait for the config without the node, then stop it) fail no request.
 */
class NoFailedRequestsIT extends OnLocalStack {
    private static final int BACKENDS = 20;
    private static final int CHANGES = 10;
    private static final int MIN_REQUESTS = 10_000;
    private static final int CLIENTS = 4;
    /** The whole test stops by itself after this, whatever happens. */
    private static final Duration LIMIT = Duration.ofMinutes(3);

    @BeforeAll
    static void startBackends() throws Exception {
        for (int i = 1; i <= BACKENDS; i++) {
            stack.addNode("n" + i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> StackClient.membersAnswering(stack, 60).size() == BACKENDS);
    }

    @Test
    void joinsAndGracefulLeavesUnderLoadFailNoRequest() throws Exception {
        AtomicBoolean changesDone = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                while ((!changesDone.get() || sent.get() < MIN_REQUESTS) && System.nanoTime() < deadline) {
                    sent.incrementAndGet();
                    String failure = request(stack.frontendUrl() + "/");
                    if (failure != null) {
                        failures.computeIfAbsent(failure, f -> new AtomicLong()).incrementAndGet();
                    }
                }
            }));
        }
        long changesStarted = System.nanoTime();
        try {
            for (int i = 1; i <= CHANGES; i++) {
                long start = System.nanoTime();
                stack.addNode("new" + i);
                long joined = System.nanoTime();
                stack.stopNode("n" + i);
                System.out.printf("join of new%d took %d ms, graceful leave of n%d %d ms%n", i,
                        (joined - start) / 1_000_000, i, (System.nanoTime() - joined) / 1_000_000);
            }
        } finally {
            changesDone.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> client : running) {
            client.get();
        }
        System.out.printf("%d requests through HAProxy, %d joins and %d graceful leaves in %d ms, failures: %s%n",
                sent.get(), CHANGES, CHANGES, (System.nanoTime() - changesStarted) / 1_000_000, failures);
        assertThat(sent.get()).isGreaterThanOrEqualTo(MIN_REQUESTS);
        assertThat(failures).as("failed requests by cause, out of %d", sent.get()).isEmpty();
        assertThat(stack.nodeNames()).hasSize(BACKENDS);
        assertThat(StackClient.membersAnswering(stack, 80)).hasSize(BACKENDS).allMatch(m -> !m.matches("n([1-9]|10)"));
    }

    /** One GET on a new connection; null when it succeeded, otherwise what went wrong. */
    private static String request(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestProperty("Connection", "close");
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            try {
                int status = connection.getResponseCode();
                if (status != 200) {
                    return "HTTP " + status;
                }
                try (InputStream body = connection.getInputStream()) {
                    body.readAllBytes();
                }
                return null;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
