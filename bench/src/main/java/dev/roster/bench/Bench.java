package dev.roster.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar bench/target/roster-bench.jar <benchmark>}: prints the figures of docs/benchmarks.md. */
@Command(name = "roster-bench", mixinStandardHelpOptions = true,
        description = "Roster's benchmarks, on the embedded stack with a real HAProxy.",
        subcommands = {CrashBench.class, JoinLeaveBench.class, ApplyBench.class, RebuildBench.class, QueryBench.class,
                FoldBench.class, ScaleBench.class,
                CommandLine.HelpCommand.class})
public final class Bench implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static void machine() {
        System.out.printf("machine: %d cores, %d MiB max heap, %s %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
    }
}
