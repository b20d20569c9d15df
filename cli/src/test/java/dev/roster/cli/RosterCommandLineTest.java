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
            "agent update --pool web --member s1|roster agent update: give at least one of --address, --port, --weight, --tag",
            "agent update --pool web --member s1 --weight 300 --state-dir /nonexistent|roster agent update: no running agent recorded at /nonexistent/web.s1.json (start the agent first, or pass the same --state-dir)",
            "rebuild|'roster rebuild: Error: Missing required argument (specify one of these): (--version=N | --at=INSTANT | --verify-all)'",
            "rebuild --version 1 --verify-all|roster rebuild: Error: --version=N, --verify-all are mutually exclusive (specify only one)",
            "rebuild --at yesterday|roster rebuild: Invalid value for option '--at': 'yesterday' is not an ISO-8601 instant such as 2026-03-01T10:15:00Z",
            "rebuild --version 1 --work-dir /nonexistent/roster|roster rebuild: work-dir /nonexistent/roster has no versions/ folder: is it a config builder's work folder?",
            "config activate --work-dir /tmp|roster config activate: Missing required option: '--version=N'",
            "config activate --version 0|roster config activate: version must be 1 or more, was 0",
            "history members|roster history members: Missing required option: '--pool=<pool>'",
            "history members --pool web --at yesterday|roster history members: at must be an ISO-8601 instant such as 2026-11-27T10:00:00Z or a time ago such as 90s, 15m, 1h or 2d, was \"yesterday\"",
            "history members --pool web --at 1h --version 3|roster history members: give --at or --version, not both",
            "history members --pool web --version x|roster history members: Invalid value for option '--version': 'x' is not a long",
            "history members --pool web#1|roster history members: pool must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"web#1\"",
            "history member s1|roster history member: member must be POOL/MEMBER such as web/s1, was \"s1\"",
            "history member web/s#1|roster history member: member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"s#1\"",
            "history events --pool web --since soon|roster history events: since must be an ISO-8601 instant such as 2026-11-27T10:00:00Z or a time ago such as 90s, 15m, 1h or 2d, was \"soon\"",
            "history diff 7|roster history diff: Missing required parameter: 'TO'",
            "history diff 0 1|roster history diff: from must be 1 or more, was 0",
            "history pools --api ftp://x|roster history pools: api must be a URL such as http://127.0.0.1:8070, was \"ftp://x\"",
            "history frobnicate|roster history: unknown subcommand 'frobnicate' (see 'roster --help')",
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
