package dev.roster.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "demo-node", mixinStandardHelpOptions = true,
        description = "Serve a tiny web app that answers JSON with its member name (for demos and compose).")
final class DemoNodeCommand implements Callable<Integer> {
    @Option(names = "--member", required = true, description = "Name the app answers with.")
    String member;

    @Option(names = "--address", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--port", required = true, description = "Port to listen on (1-65535).")
    int port;

    @Override
    public Integer call() throws Exception {
        dev.roster.core.Fields.port("port", port);
        DemoNode node = DemoNode.start(member, address, port);
        System.out.println("demo-node " + member + " on " + address + ":" + node.port());
        Services.runUntilStopped(node::close);
        return 0;
    }
}
