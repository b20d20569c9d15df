package dev.roster.cli;

import dev.roster.agent.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Change how HAProxy reaches the member of a running agent (address, port, weight, tags) "
                + "without a leave and a join; weight and address changes are applied without a reload.")
final class AgentUpdateCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    RunningAgentOptions agent;

    @Option(names = "--address", description = "New IP literal or host name.")
    String address;

    @Option(names = "--port", description = "New port, 1-65535.")
    Integer port;

    @Option(names = "--weight", description = "New HAProxy weight, 0-256.")
    Integer weight;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "New tags (replace all tags); repeatable.")
    Map<String, String> tags;

    @Override
    public Integer call() {
        if (address == null && port == null && weight == null && tags == null) {
            throw new IllegalArgumentException("give at least one of --address, --port, --weight, --tag");
        }
        long incarnation = agent.incarnation();
        Agent.update(agent.settings(kafka), incarnation, address, port, weight, tags);
        System.out.println(agent.pool + "/" + agent.member + " (incarnation " + incarnation + ") updated");
        return 0;
    }
}
