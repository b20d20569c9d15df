package dev.roster.cli;

import dev.roster.agent.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain the member a running agent announced: HAProxy keeps it but sends it no new "
                + "traffic until it leaves (stop the agent) or restarts (a new incarnation is active again).")
final class AgentDrainCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    RunningAgentOptions agent;

    @Override
    public Integer call() {
        long incarnation = agent.incarnation();
        Agent.drain(agent.settings(kafka), incarnation);
        System.out.println(agent.pool + "/" + agent.member + " (incarnation " + incarnation + ") is draining");
        return 0;
    }
}
