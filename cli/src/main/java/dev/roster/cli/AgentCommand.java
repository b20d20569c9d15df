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

    @Option(names = "--pool", required = true, defaultValue = "${env:ROSTER_POOL}",
            description = "Pool (HAProxy backend) to join (env ROSTER_POOL).")
    String pool;

    @Option(names = "--member", required = true, defaultValue = "${env:ROSTER_MEMBER}",
            description = "This node's member name, unique in the pool (env ROSTER_MEMBER).")
    String member;

    @Option(names = "--address", required = true, defaultValue = "${env:ROSTER_ADDRESS}",
            description = "IP literal or host name HAProxy connects to (env ROSTER_ADDRESS).")
    String address;

    @Option(names = "--port", required = true, defaultValue = "${env:ROSTER_PORT}",
            description = "Port HAProxy connects to, 1-65535 (env ROSTER_PORT).")
    int port;

    @Option(names = "--weight", defaultValue = "${env:ROSTER_WEIGHT:-100}",
            description = "HAProxy weight 0-256 (env ROSTER_WEIGHT; default ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag for templates; repeatable.")
    Map<String, String> tags = Map.of();

    @Option(names = "--heartbeat-interval", defaultValue = "${env:ROSTER_HEARTBEAT_INTERVAL:-PT0.5S}",
            description = "ISO-8601 duration between heartbeats (env ROSTER_HEARTBEAT_INTERVAL; default ${DEFAULT-VALUE}).")
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
