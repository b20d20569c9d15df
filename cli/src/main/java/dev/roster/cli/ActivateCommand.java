package dev.roster.cli;

import dev.roster.config.ConfigApplier;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.OperatorRequests;
import dev.roster.config.VersionRecord;
import dev.roster.config.VersionStore;
import dev.roster.config.WorkDirLock;
import dev.roster.core.ConfigVersion;
import dev.roster.core.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "activate", description = "Make an earlier config version live again (an operator's rollback). "
        + "It becomes a new version, validated, activated and reloaded like any other, and published on "
        + "roster.config-versions. A running config builder on the same work folder carries it out; otherwise "
        + "this command does. The builder's next version comes with the next change of the rendered config.")
final class ActivateCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--version", required = true, paramLabel = "N", description = "The version to make live.")
    long version;

    @Option(names = "--work-dir", defaultValue = "${env:ROSTER_WORK_DIR:-.roster/haproxy}",
            description = "The config builder's folder (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--timeout", defaultValue = "PT30S",
            description = "How long to wait for a running builder to answer (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--haproxy", defaultValue = "haproxy",
            description = "Without a running builder: HAProxy executable (default ${DEFAULT-VALUE}).")
    String haproxy;

    @Option(names = "--master-socket", description = "Without a running builder: HAProxy's master CLI socket to "
            + "reload through; without it the live file is replaced but HAProxy is not reloaded.")
    Path masterSocket;

    @Option(names = "--stats-socket", description = "Without a running builder: HAProxy's runtime API socket, "
            + "to save server state before the reload (default <work-dir>/haproxy.sock); 'none' for none.")
    String statsSocket;

    @Option(names = "--no-validate", description = "Without a running builder: skip haproxy -c.")
    boolean noValidate;

    @Override
    public Integer call() throws Exception {
        if (version < 1) {
            throw new IllegalArgumentException("version must be 1 or more, was " + version);
        }
        PrintWriter out = spec.commandLine().getOut();
        Optional<WorkDirLock> lock = WorkDirLock.tryAcquire(workDir);
        if (lock.isEmpty()) {
            return throughRunningBuilder(out);
        }
        try (WorkDirLock held = lock.get()) {
            return directly(out, spec.commandLine().getErr());
        }
    }

    private int throughRunningBuilder(PrintWriter out) throws Exception {
        OperatorRequests requests = new OperatorRequests(workDir);
        Path request = requests.submitActivation(version);
        Optional<OperatorRequests.Answer> answer = requests.awaitAnswer(request, timeout);
        if (answer.isEmpty()) {
            throw new IllegalStateException(requests.withdraw(request)
                    ? "the config builder holding " + workDir + " did not take the request within "
                            + timeout.toSeconds() + " s"
                    : "the config builder took the request but did not answer within " + timeout.toSeconds()
                            + " s: see its log");
        }
        out.println(answer.get().message());
        return answer.get().ok() ? 0 : 1;
    }

    private int directly(PrintWriter out, PrintWriter err) throws Exception {
        ConfigBuilderSettings settings = ConfigBuilderSettings.defaults(kafka.bootstrapServer, workDir)
                .withHaproxyBinary(haproxy)
                .withValidate(!noValidate)
                .withKafkaProperties(kafka.clientProperties());
        Optional<VersionRecord> source = VersionStore.open(settings.versionsDir()).manifest(version);
        if (source.isPresent()) {
            settings = settings.withInstanceId(source.get().instance());
        }
        if (masterSocket != null) {
            settings = settings.withMasterSocket(masterSocket);
        }
        if (statsSocket != null) {
            settings = settings.withStatsSocket(statsSocket.equals("none") ? null : Path.of(statsSocket));
        }
        ConfigApplier applier = ConfigApplier.create(settings);
        Optional<VersionRecord> made = applier.activateVersion(version);
        if (made.isEmpty()) {
            out.println("version " + version + " is live already: nothing to do");
            return 0;
        }
        VersionRecord record = made.get();
        publish(settings, record, applier.store().text(record.version()), err);
        out.println(record.applied()
                ? "version " + record.version() + " is live: a copy of version " + version
                : "version " + record.version() + " (a copy of version " + version + ") did not go live: "
                        + record.reason());
        return record.applied() ? 0 : 1;
    }

    /** Best effort: the version is on disk and live whatever Kafka says. */
    private static void publish(ConfigBuilderSettings settings, VersionRecord record, String text, PrintWriter err) {
        ConfigVersion value = record.toConfigVersion(Instant.now(), text);
        try (KafkaProducer<String, ConfigVersion> producer = new KafkaProducer<>(settings.producerProperties(),
                Topics.CONFIG_VERSIONS.keySerde().serializer(), Topics.CONFIG_VERSIONS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.CONFIG_VERSIONS.name(), record.instance(), value))
                    .get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            err.println("roster config activate: version " + record.version() + " is live but not on "
                    + Topics.CONFIG_VERSIONS.name() + ": " + e.getMessage());
        }
    }
}
