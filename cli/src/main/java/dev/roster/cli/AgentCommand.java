package dev.roster.cli;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import dev.roster.agent.AgentStateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "agent", mixinStandardHelpOptions = true,
        subcommands = {AgentDrainCommand.class, AgentUpdateCommand.class},
        description = "Announce one node: member-joined at start, heartbeats; on SIGTERM/SIGINT it drains, "
                + "leaves, and exits once HAProxy runs a config without it.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--pool", defaultValue = "${env:ROSTER_POOL}",
            description = "Pool (HAProxy backend) to join (required; env ROSTER_POOL).")
    String pool;

    @Option(names = "--member", defaultValue = "${env:ROSTER_MEMBER}",
            description = "This node's member name, unique in the pool (required; env ROSTER_MEMBER).")
    String member;

    @Option(names = "--address", defaultValue = "${env:ROSTER_ADDRESS}",
            description = "IP literal or host name HAProxy connects to (required; env ROSTER_ADDRESS).")
    String address;

    @Option(names = "--port", defaultValue = "${env:ROSTER_PORT}",
            description = "Port HAProxy connects to, 1-65535 (required; env ROSTER_PORT).")
    Integer port;

    @Option(names = "--weight", defaultValue = "${env:ROSTER_WEIGHT:-100}",
            description = "HAProxy weight 0-256 (env ROSTER_WEIGHT; default ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag for templates; repeatable.")
    Map<String, String> tags = Map.of();

    @Option(names = "--heartbeat-interval", defaultValue = "${env:ROSTER_HEARTBEAT_INTERVAL:-PT0.5S}",
            description = "ISO-8601 duration between heartbeats (env ROSTER_HEARTBEAT_INTERVAL; default ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--drain-timeout", defaultValue = "PT5S", description = "On SIGTERM/SIGINT, wait up to this long "
            + "for HAProxy to run a config with this node draining before leaving; PT0S leaves at once "
            + "(default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--leave-timeout", defaultValue = "PT5S", description = "Then wait up to this long for a config "
            + "without this node before exiting; PT0S exits at once (default ${DEFAULT-VALUE}).")
    Duration leaveTimeout;

    @Option(names = "--state-dir", description = "Where the running agent records its incarnation for "
            + "'roster agent drain' (default: <tmpdir>/roster-agent).")
    Path stateDir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        // Required here rather than by picocli, which would also demand them of 'roster agent drain'.
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (pool == null) {
            missing.add("'--pool=<pool>'");
        }
        if (member == null) {
            missing.add("'--member=<member>'");
        }
        if (address == null) {
            missing.add("'--address=<address>'");
        }
        if (port == null) {
            missing.add("'--port=<port>'");
        }
        if (!missing.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option"
                    + (missing.size() > 1 ? "s: " : ": ") + String.join(", ", missing));
        }
        AgentSettings settings = AgentSettings.defaults(kafka.bootstrapServer, pool, member, address, port)
                .withWeight(weight)
                .withTags(tags)
                .withHeartbeatInterval(heartbeatInterval)
                .withShutdownWaits(drainTimeout, leaveTimeout)
                .withKafka(kafka.clientProperties());
        Path dir = stateDir == null ? AgentStateFile.defaultDir() : stateDir;
        Agent agent = new Agent(settings, AgentStateFile.of(dir, pool, member)).start();
        Services.runUntilStopped(agent::close);
        return 0;
    }
}
