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

    @Option(names = "--member", required = true, description = "Name the app answers with (and joins as).")
    String member;

    @Option(names = "--address", defaultValue = "127.0.0.1",
            description = "Address to listen on, and to announce (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--advertise", description = "Address to announce when it differs from --address "
            + "(for example the container's host name when listening on 0.0.0.0).")
    String advertise;

    @Option(names = "--port", required = true, description = "Port to listen on (1-65535).")
    int port;

    @Option(names = "--pool", description = "Join this pool: run the agent beside the app.")
    String pool;

    @Override
    public Integer call() throws Exception {
        Fields.port("port", port);
        AgentSettings agentSettings = pool == null ? null
                : AgentSettings.defaults(kafka.bootstrapServer, pool, member, advertise == null ? address : advertise, port)
                        .withKafka(kafka.clientProperties());
        DemoNode node = DemoNode.start(member, address, port);
        System.out.println("demo-node " + member + " on " + address + ":" + node.port());
        Agent agent = agentSettings == null ? null : new Agent(agentSettings).start();
        Services.runUntilStopped(() -> {
            if (agent != null) {
                agent.close();
            }
            node.close();
        });
        return 0;
    }
}
