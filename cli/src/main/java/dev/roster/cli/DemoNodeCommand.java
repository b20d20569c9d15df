package dev.roster.cli;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import dev.roster.core.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "demo-node", mixinStandardHelpOptions = true,
        description = "Serve a tiny web app that answers JSON with its member name; with --pool it also runs "
                + "its agent, which announces it (the webapp of compose and of the failure tests).")
final class DemoNodeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--member", defaultValue = "${env:ROSTER_MEMBER}",
            description = "Name the app answers with (and joins as) (env ROSTER_MEMBER; default: this host's name, "
                    + "in a container its id).")
    String member;

    @Option(names = "--address", defaultValue = "127.0.0.1",
            description = "Address to listen on, and to announce (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--advertise", defaultValue = "${env:ROSTER_ADVERTISE}",
            description = "Address to announce when it differs from --address (env ROSTER_ADVERTISE; default for "
                    + "0.0.0.0: the address this host's name resolves to, in a container its own).")
    String advertise;

    @Option(names = "--port", required = true, description = "Port to listen on (1-65535).")
    int port;

    @Option(names = "--pool", defaultValue = "${env:ROSTER_POOL}",
            description = "Join this pool: run the agent beside the app (env ROSTER_POOL).")
    String pool;

    @Override
    public Integer call() throws Exception {
        Fields.port("port", port);
        String name = HostIdentity.memberName(member);
        AgentSettings agentSettings = pool == null ? null
                : AgentSettings.defaults(kafka.bootstrapServer, pool, name,
                        HostIdentity.advertisedAddress(address, advertise), port).withKafka(kafka.clientProperties());
        DemoNode node = DemoNode.start(name, address, port);
        System.out.println("demo-node " + name + " on " + address + ":" + node.port()
                + (agentSettings == null ? "" : ", announced in pool " + pool + " as " + agentSettings.address() + ":" + port));
        Agent agent;
        try {
            agent = agentSettings == null ? null : new Agent(agentSettings).start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        Services.runUntilStopped(() -> {
            if (agent != null) {
                agent.close();
            }
            node.close();
        });
        return 0;
    }
}
