package dev.roster.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The Kafka connection options every role shares. */
final class KafkaOptions {
    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            defaultValue = "${env:ROSTER_BOOTSTRAP_SERVER:-127.0.0.1:9092}",
            description = "Kafka bootstrap servers (env ROSTER_BOOTSTRAP_SERVER; default ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:ROSTER_KAFKA_CONFIG}",
            description = "Kafka client properties file for TLS, SASL and the like (env ROSTER_KAFKA_CONFIG).")
    Path kafkaConfig;

    Map<String, String> clientProperties() {
        return KafkaConfigFile.read(kafkaConfig);
    }
}
