package dev.roster.cli;

import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage Roster's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
final class TopicsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (see 'roster topics --help')");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create Roster's topics where they are missing, with the retention each needs, and show "
                    + "them all. Topics that exist are left as they are, so running it again is harmless.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaOptions kafka;

        @Mixin
        TopicOptions topics;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            int partitions = topics.partitions();
            var replicationFactor = topics.replicationFactor();
            List<RosterTopics.State> states;
            try (Admin admin = kafka.admin()) {
                states = RosterTopics.create(admin, partitions, replicationFactor);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("Kafka at " + kafka.bootstrapServer + ": " + e.getMessage(), e);
            }
            RosterTopics.requireCoPartitioned(states);
            var out = spec.commandLine().getOut();
            for (RosterTopics.State state : states) {
                out.printf("%-24s partitions %-3d replication %-2d %s%n", state.name(), state.partitions(),
                        state.replicationFactor(), state.created() ? "created" : "already there, left as it is");
            }
            out.flush();
            return 0;
        }
    }
}
