package dev.roster.cli;

import picocli.CommandLine.Option;

import java.util.Optional;

/** How Roster's topics are created: by {@code roster topics create}, or by a role started with {@code --create-topics}. */
final class TopicOptions {
    @Option(names = "--partitions", defaultValue = "${env:ROSTER_TOPIC_PARTITIONS:-3}",
            description = "Partitions of each topic created (env ROSTER_TOPIC_PARTITIONS; default ${DEFAULT-VALUE}). "
                    + "A pool lives in one partition; more partitions let more history-api instances share the pools.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "${env:ROSTER_REPLICATION_FACTOR}",
            description = "Replicas of each topic created (env ROSTER_REPLICATION_FACTOR; default: the broker's "
                    + "default.replication.factor).")
    Integer replicationFactor;

    int partitions() {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be 1-10000, was " + partitions);
        }
        return partitions;
    }

    Optional<Short> replicationFactor() {
        if (replicationFactor == null) {
            return Optional.empty();
        }
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replication-factor must be 1-" + Short.MAX_VALUE + ", was " + replicationFactor);
        }
        return Optional.of(replicationFactor.shortValue());
    }
}
