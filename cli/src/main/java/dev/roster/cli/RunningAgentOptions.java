package dev.roster.cli;

import dev.roster.agent.AgentSettings;
import dev.roster.agent.AgentStateFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Names the member of an agent running beside this command, for 'roster agent drain' and 'update'. */
final class RunningAgentOptions {
    @Option(names = "--pool", required = true, description = "Pool of the member.")
    String pool;

    @Option(names = "--member", required = true, description = "The member.")
    String member;

    @Option(names = "--state-dir", description = "The running agent's --state-dir (default: <tmpdir>/roster-agent).")
    Path stateDir;

    /** The incarnation the running agent recorded; a clear error when no agent runs for the member. */
    long incarnation() {
        return AgentStateFile.readIncarnation(
                AgentStateFile.of(stateDir == null ? AgentStateFile.defaultDir() : stateDir, pool, member));
    }

    AgentSettings settings(KafkaOptions kafka) {
        return AgentSettings.speakingFor(kafka.bootstrapServer, pool, member).withKafka(kafka.clientProperties());
    }
}
