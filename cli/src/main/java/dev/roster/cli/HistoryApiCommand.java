package dev.roster.cli;

import dev.roster.core.DedupWindow;
import dev.roster.core.Topics;
import dev.roster.history.DetectorSettings;
import dev.roster.history.HistoryApi;
import dev.roster.history.HistoryApiSettings;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "history-api", mixinStandardHelpOptions = true,
        description = "Run the Kafka Streams fold and the REST history API. Waits for Roster's topics unless "
                + "--create-topics; exits non-zero if Kafka Streams stops for good, so that a supervisor restarts it.")
final class HistoryApiCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    StartTopicsOptions startTopics;

    @Option(names = "--http-address", defaultValue = "${env:ROSTER_HTTP_ADDRESS:-127.0.0.1}",
            description = "Address the REST API binds to (env ROSTER_HTTP_ADDRESS; default ${DEFAULT-VALUE}).")
    String httpAddress;

    @Option(names = "--http-port", defaultValue = "${env:ROSTER_HTTP_PORT:-8070}",
            description = "REST API port (env ROSTER_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--state-dir", defaultValue = "${env:ROSTER_STATE_DIR:-.roster/history}",
            description = "Folder of the Streams state stores (env ROSTER_STATE_DIR; default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--application-id", defaultValue = "${env:ROSTER_APPLICATION_ID:-roster-history-api}",
            description = "Kafka Streams application id; instances sharing it split the pools "
                    + "(env ROSTER_APPLICATION_ID; default ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--advertised-address", paramLabel = "HOST", defaultValue = "${env:ROSTER_ADVERTISED_ADDRESS}",
            description = "Host name or address the other instances reach this one's REST API at (env"
                    + " ROSTER_ADVERTISED_ADDRESS; default: --http-address, or this machine's name if that is 0.0.0.0).")
    String advertisedAddress;

    @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:ROSTER_API_TOKEN}",
            description = "Require Authorization: Bearer TOKEN on every endpoint but /health (env ROSTER_API_TOKEN,"
                    + " which keeps it out of ps; default: no token).")
    String apiToken;

    @Option(names = "--failure-timeout", defaultValue = "${env:ROSTER_FAILURE_TIMEOUT:-PT2S}",
            description = "A member with no heartbeat for this long is declared failed (ISO-8601 duration; env "
                    + "ROSTER_FAILURE_TIMEOUT; default ${DEFAULT-VALUE}, for agents beating every 500 ms).")
    Duration failureTimeout;

    @Option(names = "--failure-check-interval", defaultValue = "PT0.05S",
            description = "How often silent members are looked for (default ${DEFAULT-VALUE}).")
    Duration failureCheckInterval;

    @Option(names = "--dedup-window", defaultValue = "${env:ROSTER_DEDUP_WINDOW:-PT24H}",
            description = "An event id seen again within this much of its pool's clock is ignored; older ids are "
                    + "forgotten (ISO-8601 duration; env ROSTER_DEDUP_WINDOW; default ${DEFAULT-VALUE}). Give "
                    + "`roster rebuild` the same.")
    Duration dedupWindow;

    @Override
    public Integer call() throws Exception {
        DetectorSettings detector = new DetectorSettings(failureTimeout, failureCheckInterval,
                DetectorSettings.defaults().source());
        HistoryApiSettings settings = HistoryApiSettings.defaults(kafka.bootstrapServer, stateDir)
                .withHttp(httpAddress, httpPort).withApplicationId(applicationId).withKafka(kafka.clientProperties())
                .withApiToken(apiToken).withAdvertisedAddress(advertisedAddress).withDetector(detector)
                .withDedupWindow(new DedupWindow(dedupWindow));
        TopicsAtStart.ensure(kafka, startTopics.topics, startTopics.createTopics,
                List.of(Topics.EVENTS, Topics.HEARTBEATS, Topics.SNAPSHOTS, Topics.CONFIG_VERSIONS, Topics.DEAD_LETTERS),
                "history-api");
        HistoryApi api = new HistoryApi(settings).start();
        System.out.println("history-api: " + api.url());
        Optional<String> failure = Services.runUntilStopped(api::close, () -> {
            KafkaStreams.State state = api.state();
            return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    ? Optional.of("Kafka Streams stopped (state " + state + "); see the log above")
                    : Optional.empty();
        });
        if (failure.isPresent()) {
            throw new IllegalStateException(failure.get());
        }
        return 0;
    }
}
