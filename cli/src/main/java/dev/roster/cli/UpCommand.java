package dev.roster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the whole stack on this machine: embedded Kafka, history-api, config-builder, "
                + "HAProxy (when installed) and demo web nodes with their agents. Ctrl-C stops it; nodes leave cleanly.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3", description = "Demo web nodes to start (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--pool", defaultValue = "web", description = "Pool the demo nodes join (default ${DEFAULT-VALUE}).")
    String pool;

    @Option(names = "--data-dir", defaultValue = ".roster", description = "Where Kafka's log, the state stores and the "
            + "config versions live; kept between runs (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--frontend-port", defaultValue = "8080", description = "HAProxy frontend port (default ${DEFAULT-VALUE}).")
    int frontendPort;

    @Option(names = "--api-port", defaultValue = "8070", description = "REST API port (default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded Kafka broker, where "
            + "roster agent connects by default (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--address", defaultValue = "127.0.0.1",
            description = "Address HAProxy's frontend binds to (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--api-address", defaultValue = "127.0.0.1",
            description = "Address the REST API binds to (default ${DEFAULT-VALUE}: this machine only).")
    String apiAddress;

    @Override
    public Integer call() throws Exception {
        if (nodes < 0 || nodes > LocalStack.MAX_NODES) {
            throw new IllegalArgumentException("nodes must be 0-" + LocalStack.MAX_NODES + ", was " + nodes);
        }
        LocalStack.Settings settings = new LocalStack.Settings(dataDir, pool, address, frontendPort, apiPort, kafkaPort,
                true, apiAddress);
        LocalStack stack = LocalStack.start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "roster-up-shutdown"));
        for (int i = 1; i <= nodes; i++) {
            stack.addNode("node-" + i);
        }
        System.out.println();
        System.out.println("Roster is up.");
        if (stack.haproxyRunning()) {
            System.out.println("  frontend (HAProxy):  " + stack.frontendUrl() + "/");
        } else {
            System.out.println("  frontend: haproxy is not on the PATH, so no load balancer runs; configs are only rendered.");
            System.out.println("            Install it (apt-get install haproxy) and run roster up again.");
        }
        System.out.println("  history API:         " + stack.apiUrl() + "/api/pools");
        System.out.println("  live config:         " + stack.liveConfig());
        System.out.println("  config versions:     " + stack.versionsDir());
        System.out.println("  Kafka (embedded):    " + stack.bootstrapServers());
        System.out.println("  nodes in pool " + pool + ":   " + String.join(", ", stack.nodeNames()));
        System.out.println("Press Ctrl-C to stop; the nodes leave cleanly first.");
        Thread.currentThread().join();
        return 0;
    }
}
