package dev.roster.cli;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import dev.roster.agent.AgentStateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain the member a running agent announced: HAProxy keeps it but sends it no new "
                + "traffic until it leaves (stop the agent) or restarts (a new incarnation is active again).")
final class AgentDrainCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--pool", required = true, description = "Pool of the member.")
    String pool;

    @Option(names = "--member", required = true, description = "Member to drain.")
    String member;

    @Option(names = "--state-dir", description = "The running agent's --state-dir (default: <tmpdir>/roster-agent).")
    Path stateDir;

    @Override
    public Integer call() {
        Path file = AgentStateFile.of(stateDir == null ? AgentStateFile.defaultDir() : stateDir, pool, member);
        long incarnation = AgentStateFile.readIncarnation(file);
        AgentSettings settings = AgentSettings.speakingFor(kafka.bootstrapServer, pool, member)
                .withKafka(kafka.clientProperties());
        Agent.drain(settings, incarnation);
        System.out.println(pool + "/" + member + " (incarnation " + incarnation + ") is draining");
        return 0;
    }
}
