package dev.roster.history;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * What {@code /metrics} shows, in the Prometheus text format: the topology's counters (events folded,
 * member-set changes, duplicates, dead letters written, failures detected, config versions applied and
 * rejected, HAProxy reloads and their time), request timings by route, and the JVM's memory, GC, threads and CPU.
 */
final class ApiMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ApiMetrics(FoldMetrics fold) {
        counter("roster.events.folded", "Valid, new events folded into a member set", fold, FoldMetrics::folded);
        counter("roster.member.set.changes", "Events that changed a member set", fold, FoldMetrics::changes);
        counter("roster.events.duplicate", "Events ignored because their id was seen before", fold,
                FoldMetrics::duplicates);
        counter("roster.dead.letters", "Records this instance refused and wrote to roster.dead-letters", fold,
                FoldMetrics::deadLetters);
        counter("roster.failures.detected", "member-failed events the failure detector wrote", fold,
                FoldMetrics::failuresDetected);
        FunctionCounter.builder("roster.config.versions", fold, f -> f.configsApplied())
                .description("Records of roster.config-versions read since start, by status").tag("status", "applied")
                .register(registry);
        FunctionCounter.builder("roster.config.versions", fold, f -> f.configsRejected())
                .description("Records of roster.config-versions read since start, by status").tag("status", "rejected")
                .register(registry);
        FunctionTimer.builder("roster.config.reload", fold, FoldMetrics::reloads, FoldMetrics::reloadMillis,
                        java.util.concurrent.TimeUnit.MILLISECONDS)
                .description("HAProxy reloads the config versions read since start report, and how long they took")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void counter(String name, String description, FoldMetrics fold, ToDoubleFunction<FoldMetrics> value) {
        FunctionCounter.builder(name, fold, value).description(description).register(registry);
    }

    /** Times one request by its route (such as {@code /api/pools/{pool}/members}), never by its raw path. */
    void request(String method, String route, int status, Duration took) {
        Timer.builder("roster.http.requests").description("REST requests answered by this instance")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).record(took);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
