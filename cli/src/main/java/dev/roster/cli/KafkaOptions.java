package dev.roster.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The Kafka connection options every role shares. */
final class KafkaOptions {
    /** How long one admin request (list or create topics) may take before the command says Kafka does not answer. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            defaultValue = "${env:ROSTER_BOOTSTRAP_SERVER:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env ROSTER_BOOTSTRAP_SERVER; default ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:ROSTER_KAFKA_CONFIG}",
            description = "Kafka client properties file for TLS, SASL and the like, applied to every Kafka client "
                    + "this command creates (env ROSTER_KAFKA_CONFIG).")
    Path kafkaConfig;

    Map<String, String> clientProperties() {
        return KafkaConfigFile.read(kafkaConfig);
    }

    /** An admin client for the same cluster, with the same {@code --kafka-config}; the caller closes it. */
    Admin admin() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "roster-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis() / 2);
        props.putAll(clientProperties());
        return Admin.create(props);
    }
}
