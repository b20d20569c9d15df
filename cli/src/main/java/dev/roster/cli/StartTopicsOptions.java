package dev.roster.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a long-running role gets its topics at start: waits for them, or creates them with --create-topics. */
final class StartTopicsOptions {
    @Mixin
    TopicOptions topics;

    @Option(names = "--create-topics", defaultValue = "${env:ROSTER_CREATE_TOPICS:-false}",
            description = "Create Roster's missing topics at start (see --partitions, --replication-factor) instead of "
                    + "waiting for them (env ROSTER_CREATE_TOPICS).")
    boolean createTopics;
}
