package dev.roster.history;

import io.javalin.Javalin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** The history-api service: the Streams fold plus the REST API over its stores. */
public final class HistoryApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);

    private final HistoryApiSettings settings;
    private final FoldMetrics metrics = new FoldMetrics();
    private KafkaStreams streams;
    private Javalin http;

    public HistoryApi(HistoryApiSettings settings) {
        this.settings = settings;
    }

    public synchronized HistoryApi start() {
        var properties = settings.streamsProperties();
        streams = new KafkaStreams(HistoryTopology.build(metrics, settings.detector(), properties), properties);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("history-api stream thread failed; replacing it", e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        http = RestApi.create(new HistoryQueries(streams), streams::state, metrics)
                .start(settings.httpAddress(), settings.httpPort());
        LOG.info("history-api listening on {}", url());
        return this;
    }

    /** The base URL of the REST API, such as {@code http://127.0.0.1:8070}. */
    public String url() {
        return "http://" + settings.httpAddress() + ":" + http.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public FoldMetrics metrics() {
        return metrics;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
            streams = null;
        }
    }
}
