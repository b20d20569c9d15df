package dev.roster.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Latencies of one measurement, in milliseconds, and their percentiles (nearest rank). */
final class Stats {
    private final String name;
    private final List<Double> millis = new ArrayList<>();

    Stats(String name) {
        this.name = name;
    }

    void add(double ms) {
        millis.add(ms);
    }

    void addNanos(long nanos) {
        add(nanos / 1_000_000.0);
    }

    int count() {
        return millis.size();
    }

    double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** One line: name, runs, p50, p99, max. */
    String line() {
        return String.format(Locale.ROOT, "%-48s runs=%-4d p50=%8.1f ms  p99=%8.1f ms  max=%8.1f ms", name, count(),
                percentile(50), percentile(99), percentile(100));
    }
}
