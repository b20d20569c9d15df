package dev.roster.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The single {@code roster} command; each role is a subcommand. */
@Command(name = "roster", mixinStandardHelpOptions = true, versionProvider = Roster.Version.class,
        description = "An event-sourced membership log for HAProxy.",
        subcommands = {UpCommand.class, AgentCommand.class, HistoryApiCommand.class, ConfigBuilderCommand.class,
                HistoryCommand.class, DemoNodeCommand.class, RebuildCommand.class, ConfigCommand.class,
                TopicsCommand.class, CommandLine.HelpCommand.class})
public final class Roster implements Runnable {
    /** Exit code for bad input: an unknown subcommand, a missing or invalid option. */
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs the command line and returns the exit code; every error is one line on {@code err}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Roster());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            e.getCommandLine().getErr().println(commandName(e.getCommandLine()) + ": " + oneLine(describe(e)));
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean badInput = e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException;
            commandLine.getErr().println(commandName(commandLine) + ": " + oneLine(e.getMessage() == null
                    ? e.toString() : e.getMessage()));
            return badInput ? BAD_INPUT : 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched
                && e.getCommandLine().getSubcommands().size() > 0
                && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "unknown subcommand '" + unmatched.getUnmatched().get(0) + "' (see 'roster --help')";
        }
        return e.getMessage();
    }

    private static String commandName(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName();
    }

    private static String oneLine(String message) {
        return message.replaceAll("[\\r\\n]+", " ").trim();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Roster.class.getPackage().getImplementationVersion();
            return new String[] {"roster " + (version == null ? "development build" : version)};
        }
    }
}
