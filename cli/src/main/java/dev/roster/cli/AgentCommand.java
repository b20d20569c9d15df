package dev.roster.cli;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Announce one node: member-joined at start, heartbeats; on SIGTERM/SIGINT it drains, "
                + "leaves, and exits once HAProxy runs a config without it.")
final class AgentCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--pool", required = true, description = "Pool (HAProxy backend) to join.")
    String pool;

    @Option(names = "--member", required = true, description = "This node's member name, unique in the pool.")
    String member;

    @Option(names = "--address", required = true, description = "IP literal or host name HAProxy connects to.")
    String address;

    @Option(names = "--port", required = true, description = "Port HAProxy connects to (1-65535).")
    int port;

    @Option(names = "--weight", defaultValue = "100", description = "HAProxy weight 0-256 (default ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag for templates; repeatable.")
    Map<String, String> tags = Map.of();

    @Option(names = "--heartbeat-interval", defaultValue = "PT0.5S",
            description = "ISO-8601 duration between heartbeats (default ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--drain-timeout", defaultValue = "PT5S", description = "On SIGTERM/SIGINT, wait up to this long "
            + "for HAProxy to run a config with this node draining before leaving; PT0S leaves at once "
            + "(default ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--leave-timeout", defaultValue = "PT5S", description = "Then wait up to this long for a config "
            + "without this node before exiting; PT0S exits at once (default ${DEFAULT-VALUE}).")
    Duration leaveTimeout;

    @Override
    public Integer call() throws Exception {
        AgentSettings settings = AgentSettings.defaults(kafka.bootstrapServer, pool, member, address, port)
                .withWeight(weight)
                .withTags(tags)
                .withHeartbeatInterval(heartbeatInterval)
                .withShutdownWaits(drainTimeout, leaveTimeout)
                .withKafka(kafka.clientProperties());
        Agent agent = new Agent(settings).start();
        Services.runUntilStopped(agent::close);
        return 0;
    }
}
