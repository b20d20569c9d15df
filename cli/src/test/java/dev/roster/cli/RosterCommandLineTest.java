package dev.roster.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class RosterCommandLineTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Roster.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "frobnicate|roster: unknown subcommand 'frobnicate' (see 'roster --help')",
            "agent --member s1 --address 127.0.0.1 --port 8081|roster agent: Missing required option: '--pool=<pool>'",
            "agent --pool web --member s1 --address 127.0.0.1 --port 0|roster agent: port must be 1-65535, was 0",
            "agent --pool web --member s1 --address 127.0.0.1 --port http|roster agent: Invalid value for option '--port': 'http' is not an int",
            "agent --pool web --member s#1 --address 127.0.0.1 --port 8081|roster agent: member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"s#1\"",
            "agent --pool web --member s1 --address 300.1.1.1 --port 8081|roster agent: address must be an IP literal or an RFC 1123 host name, was \"300.1.1.1\"",
            "agent --pool web --member s1 --address 127.0.0.1 --port 8081 --weight 999|roster agent: weight must be 0-256, was 999",
            "up --nodes -1|roster up: nodes must be 0-50, was -1",
            "up --api-address 300.1.1.1|roster up: api-address must be an IP literal or an RFC 1123 host name, was \"300.1.1.1\"",
            "topics|roster topics: missing subcommand (see 'roster topics --help')",
            "topics create --partitions 0|roster topics create: partitions must be 1-10000, was 0",
            "topics create --replication-factor 0|roster topics create: replication-factor must be 1-32767, was 0",
            "history-api --partitions 0 --create-topics|roster history-api: partitions must be 1-10000, was 0",
            "demo-node --port 8081 --member s#1|roster demo-node: member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"s#1\"",
            "demo-node --port 8081 --address 0.0.0.0 --advertise 300.1.1.1 --pool web|roster demo-node: advertise must be an IP literal or an RFC 1123 host name, was \"300.1.1.1\"",
            "config-builder --run-haproxy --haproxy /nonexistent/haproxy|roster config-builder: run-haproxy: '/nonexistent/haproxy -v' does not run; install HAProxy or pass --haproxy",
    })
    void refusesBadInputWithOneLineNamingTheProblem(String args, String message) {
        Result result = run(args.split(" "));
        assertThat(result.code()).isEqualTo(Roster.BAD_INPUT);
        assertThat(result.err()).isEqualTo(message + System.lineSeparator());
    }

    /** An operator finds every setting a role takes from the environment in docs/operations.md. */
    @Test
    void everyEnvironmentVariableIsDocumented() throws Exception {
        String docs = Files.readString(Repository.root().resolve("docs/operations.md"));
        Set<String> variables = new TreeSet<>();
        collect(new CommandLine(new Roster()), variables);
        assertThat(variables).contains("ROSTER_BOOTSTRAP_SERVER", "ROSTER_KAFKA_CONFIG", "ROSTER_HTTP_ADDRESS");
        for (String variable : variables) {
            assertThat(docs).as("docs/operations.md names %s", variable).contains("`" + variable + "`");
        }
    }

    private static void collect(CommandLine command, Set<String> variables) {
        for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
            String defaultValue = option.defaultValueString(false);
            Matcher matcher = Pattern.compile("\\$\\{env:([A-Z_]+)").matcher(defaultValue == null ? "" : defaultValue);
            while (matcher.find()) {
                variables.add(matcher.group(1));
            }
        }
        command.getSubcommands().values().forEach(sub -> collect(sub, variables));
    }
}
