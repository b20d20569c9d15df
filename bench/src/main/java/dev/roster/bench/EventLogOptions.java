package dev.roster.bench;

import dev.roster.core.TopicSetup;
import dev.roster.kafka.EmbeddedKafka;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The size of the synthetic log a benchmark replays, and the broker that holds it. */
final class EventLogOptions {
    @Option(names = "--events", defaultValue = "1000000", description = "Events in the log (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--pools", defaultValue = "100", description = "Pools (default ${DEFAULT-VALUE}).")
    int pools;

    @Option(names = "--members", defaultValue = "100", description = "Members per pool (default ${DEFAULT-VALUE}).")
    int members;

    /** Starts a broker in {@code dir}, creates Roster's topics and writes the log to roster.events. */
    EmbeddedKafka startWithLog(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        try {
            TopicSetup.createAll(kafka.admin(), 1, Optional.empty());
            EventLogFixture.produce(kafka.bootstrapServers(), pools, members, events);
            return kafka;
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }
}
