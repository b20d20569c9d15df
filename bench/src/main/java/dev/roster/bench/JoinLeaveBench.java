package dev.roster.bench;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import dev.roster.cli.DemoNode;
import dev.roster.cli.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "join-leave", mixinStandardHelpOptions = true,
        description = "Join → routable through HAProxy, and leave → no longer routable, over many runs.")
final class JoinLeaveBench implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "20", description = "Runs (default ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        Bench.machine();
        Stats join = new Stats("join → routable through HAProxy");
        Stats leave = new Stats("leave → unroutable through HAProxy");
        try (LocalStack stack = BenchStack.start()) {
            for (int run = 0; run <= runs; run++) {
                String member = "j" + run;
                try (DemoNode node = DemoNode.start(member, "127.0.0.1", 0)) {
                    AgentSettings settings = AgentSettings.defaults(stack.bootstrapServers(), "bench", member,
                            "127.0.0.1", node.port()).withShutdownWaits(Duration.ZERO, Duration.ZERO);
                    Agent agent = new Agent(settings);
                    long joinStart = System.nanoTime();
                    agent.start();
                    BenchStack.awaitTrue(member + " routable", 30_000,
                            () -> member.equals(Probe.member(stack.frontendUrl(), "bench")));
                    long joined = System.nanoTime() - joinStart;

                    long leaveStart = System.nanoTime();
                    agent.close();
                    BenchStack.awaitTrue(member + " unroutable", 30_000,
                            () -> !member.equals(Probe.member(stack.frontendUrl(), "bench")));
                    long left = System.nanoTime() - leaveStart;
                    // Run 0 warms the JVM and the broker up; it is not counted.
                    if (run > 0) {
                        join.addNanos(joined);
                        leave.addNanos(left);
                        System.out.printf("run %2d: join %.0f ms, leave %.0f ms%n", run, joined / 1e6, left / 1e6);
                    }
                }
            }
        }
        System.out.println(join.line());
        System.out.println(leave.line());
        return 0;
    }
}
