package dev.roster.history;

import io.javalin.Javalin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

/**
 * The history-api service: the Streams fold plus the REST API over its stores. The REST API starts
 * first, so that its port is known and advertised to the other instances as {@code application.server}.
 */
public final class HistoryApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryApi.class);

    private final HistoryApiSettings settings;
    private final FoldMetrics metrics = new FoldMetrics();
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private ApiMetrics apiMetrics;
    private Javalin http;

    public HistoryApi(HistoryApiSettings settings) {
        this.settings = settings;
    }

    public synchronized HistoryApi start() {
        try {
            startServices();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void startServices() {
        apiMetrics = new ApiMetrics(metrics);
        // The REST address other instances use is only known once the server listens (port 0 picks one);
        // until Kafka Streams is created the API answers 503.
        Cluster cluster = new Cluster(() -> streams, () -> self);
        http = RestApi.create(new RestApi.Deps(new StreamsStores(() -> streams), cluster,
                () -> streams == null ? null : streams.state(), apiMetrics, settings.apiToken(), Clock.systemUTC()))
                .start(settings.httpAddress(), settings.httpPort());
        Properties props = settings.streamsProperties(http.port());
        self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        KafkaStreams created = new KafkaStreams(HistoryTopology.build(metrics, settings.detector(), settings.dedupWindow(), props), props);
        created.setUncaughtExceptionHandler(e -> {
            LOG.error("history-api stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams = created;
        created.start();
        LOG.info("history-api listening on {} (advertised to other instances as {}:{}){}", url(), self.host(),
                self.port(), settings.apiToken().isPresent() ? ", bearer token required" : "");
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

    /** Kafka Streams' own metrics of this instance (thread ratios, latencies …), by name; empty before start. */
    public java.util.Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> streamsMetrics() {
        KafkaStreams running = streams;
        return running == null ? java.util.Map.of() : running.metrics();
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.stop();
            http = null;
        }
        if (streams != null) {
            // Leave the group: otherwise the next instance with this application id (a restart) waits for
            // this one's session to time out, 45 s, before it gets the partitions and folds again.
            streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            streams = null;
        }
        if (apiMetrics != null) {
            apiMetrics.close();
            apiMetrics = null;
        }
    }
}
