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
        description = "Announce one node: member-joined at start, heartbeats, member-left on SIGTERM/SIGINT.")
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

    @Override
    public Integer call() throws Exception {
        AgentSettings defaults = AgentSettings.defaults(kafka.bootstrapServer, pool, member, address, port);
        AgentSettings settings = new AgentSettings(defaults.bootstrapServers(), pool, member, address, port, weight, tags,
                defaults.source(), heartbeatInterval, defaults.ackTimeout(), kafka.clientProperties());
        Agent agent = new Agent(settings).start();
        Services.runUntilStopped(agent::close);
        return 0;
    }
}
