package dev.roster.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks ask a history-api running as a process of its own, and what they read of that process. */
final class HistoryApiProbe {
    private static final Pattern FOLDED = Pattern.compile("roster_events_folded_total(?:\\{[^}]*\\})? ([0-9.E]+)");

    private HistoryApiProbe() {
    }

    /** Events folded so far, from /metrics; 0 while it does not answer. */
    static long folded(HttpClient http, String base) {
        try {
            Matcher m = FOLDED.matcher(get(http, base + "/metrics"));
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Nanoseconds one GET took; it must answer 200. */
    static long timed(HttpClient http, String url) throws IOException {
        long start = System.nanoTime();
        get(http, url);
        return System.nanoTime() - start;
    }

    /** The body of a GET that must answer 200. */
    static String get(HttpClient http, String url) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The process's resident memory as /proc says it ("583764 kB"). */
    static String rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return line.substring(6).trim();
            }
        }
        return "unknown";
    }
}
