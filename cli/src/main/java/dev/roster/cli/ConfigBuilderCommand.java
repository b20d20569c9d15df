package dev.roster.cli;

import dev.roster.config.ConfigBuilder;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.HaproxyProcess;
import dev.roster.config.PoolSelection;
import dev.roster.core.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "config-builder", mixinStandardHelpOptions = true,
        description = "Render every new member set into a numbered haproxy.cfg, validate it with haproxy -c, "
                + "activate it atomically and reload HAProxy through its master socket. With --run-haproxy it also "
                + "runs HAProxy itself, once the first config is live. Exits non-zero if the builder or that HAProxy "
                + "stops, so that a supervisor restarts it.")
final class ConfigBuilderCommand implements Callable<Integer> {
    /** How often to say that the first config is still awaited. */
    private static final Duration READY_NOTICE = Duration.ofSeconds(30);

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StartTopicsOptions startTopics;

    @Option(names = "--work-dir", defaultValue = "${env:ROSTER_WORK_DIR:-.roster/haproxy}",
            description = "Folder of the live haproxy.cfg and of versions/ (env ROSTER_WORK_DIR; default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--instance", defaultValue = "${env:ROSTER_INSTANCE:-haproxy-1}",
            description = "Id of the HAProxy instance this builder serves (env ROSTER_INSTANCE; default ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--pools", paramLabel = "NAMES", defaultValue = "${env:ROSTER_POOLS:-*}",
            description = "The pools this builder serves: names and globs separated by commas, e.g. web,api-* "
                    + "(env ROSTER_POOLS; default ${DEFAULT-VALUE}, every pool). Its configs, versions and rebuilds "
                    + "cover exactly these.")
    String pools;

    @Option(names = "--template", defaultValue = "${env:ROSTER_TEMPLATE}",
            description = "Handlebars template to render instead of the bundled one (env ROSTER_TEMPLATE).")
    Path template;

    @Option(names = "--frontend-address", defaultValue = "${env:ROSTER_FRONTEND_ADDRESS:-127.0.0.1}",
            description = "Address the default template's frontend binds (env ROSTER_FRONTEND_ADDRESS; default ${DEFAULT-VALUE}).")
    String frontendAddress;

    @Option(names = "--frontend-port", defaultValue = "${env:ROSTER_FRONTEND_PORT:-8080}",
            description = "Port of the default template's frontend (env ROSTER_FRONTEND_PORT; default ${DEFAULT-VALUE}).")
    int frontendPort;

    @Option(names = "--haproxy", defaultValue = "${env:ROSTER_HAPROXY:-haproxy}",
            description = "HAProxy executable (env ROSTER_HAPROXY; default ${DEFAULT-VALUE}).")
    String haproxy;

    @Option(names = "--master-socket", defaultValue = "${env:ROSTER_MASTER_SOCKET}",
            description = "HAProxy's master CLI socket (haproxy -W -S <path>); without it configs are activated but "
                    + "HAProxy is not reloaded, unless --run-haproxy (env ROSTER_MASTER_SOCKET).")
    Path masterSocket;

    @Option(names = "--stats-socket", description = "HAProxy's runtime API socket, declared by the default "
            + "template (default <work-dir>/haproxy.sock); 'none' for none.")
    String statsSocket;
    @Option(names = "--run-haproxy", defaultValue = "${env:ROSTER_RUN_HAPROXY:-false}",
            description = "Start HAProxy (haproxy -W -S <master-socket> -f <work-dir>/haproxy.cfg) once the first "
                    + "config is live, and stop it on exit; the master socket defaults to <work-dir>/master.sock "
                    + "(env ROSTER_RUN_HAPROXY).")
    boolean runHaproxy;

    @Option(names = "--no-validate", description = "Activate without haproxy -c (only where HAProxy is not installed).")
    boolean noValidate;

    @Option(names = "--quiet-window", defaultValue = "PT0.05S",
            description = "Render a change once no other came for this long (default ${DEFAULT-VALUE}).")
    Duration quietWindow;

    @Option(names = "--max-wait", defaultValue = "PT0.5S",
            description = "Render a change at the latest this long after it, and a long burst at most once "
                    + "per this long (default ${DEFAULT-VALUE}).")
    Duration maxWait;

    @Override
    public Integer call() throws Exception {
        ConfigBuilderSettings settings = ConfigBuilderSettings.defaults(kafka.bootstrapServer, workDir)
                .withInstanceId(instance)
                .withPools(PoolSelection.of(pools))
                .withFrontend(frontendAddress, frontendPort)
                .withHaproxyBinary(haproxy)
                .withValidate(!noValidate)
                .withCoalescing(quietWindow, maxWait)
                .withKafkaProperties(kafka.clientProperties());
        if (template != null) {
            settings = settings.withTemplateFile(template);
        }
        if (masterSocket != null) {
            settings = settings.withMasterSocket(masterSocket);
        } else if (runHaproxy) {
            settings = settings.withMasterSocket(settings.workDir().resolve("master.sock"));
        }
        if (statsSocket != null) {
            settings = settings.withStatsSocket(statsSocket.equals("none") ? null : Path.of(statsSocket));
        }
        if (runHaproxy && !HaproxyProcess.isInstalled(haproxy)) {
            throw new IllegalArgumentException("run-haproxy: '" + haproxy + " -v' does not run; install HAProxy or pass --haproxy");
        }
        if (runHaproxy) {
            // This command is HAProxy's only parent, so a socket left there is from a run that ended: were it kept,
            // the first version would try to reload through it, fail, and be recorded as such.
            Files.deleteIfExists(settings.masterSocket().orElseThrow());
        }
        TopicsAtStart.ensure(kafka, startTopics.topics, startTopics.createTopics,
                List.of(Topics.SNAPSHOTS, Topics.CONFIG_VERSIONS),
                "config-builder");
        ConfigBuilder builder = new ConfigBuilder(settings);
        builder.start();
        System.out.println("config-builder " + instance + ": " + settings.liveFile() + " (versions in "
                + settings.versionsDir() + ")");
        HaproxyProcess haproxyProcess = null;
        try {
            if (runHaproxy) {
                awaitFirstConfig(builder);
                haproxyProcess = HaproxyProcess.start(settings);
                System.out.println("config-builder " + instance + ": HAProxy runs (pid " + haproxyProcess.pid()
                        + ", master socket " + settings.masterSocket().orElseThrow() + ")");
            }
        } catch (Exception e) {
            builder.close();
            throw e;
        }
        HaproxyProcess running = haproxyProcess;
        Optional<String> failure = Services.runUntilStopped(() -> {
            builder.close();
            if (running != null) {
                running.close();
            }
        }, () -> {
            if (builder.failure().isPresent()) {
                return Optional.of("the config builder stopped: " + builder.failure().get());
            }
            if (running != null && !running.isAlive()) {
                return Optional.of("HAProxy exited; the end of " + running.logFile() + ": " + lastLine(running.logTail()));
            }
            return Optional.empty();
        });
        if (failure.isPresent()) {
            throw new IllegalStateException(failure.get());
        }
        return 0;
    }

    /** HAProxy cannot start without a config: wait for the builder's first one, however long Kafka takes. */
    private static void awaitFirstConfig(ConfigBuilder builder) throws InterruptedException {
        while (!builder.awaitReady(READY_NOTICE)) {
            if (builder.failure().isPresent()) {
                throw new IllegalStateException("the config builder stopped before its first config: "
                        + builder.failure().get());
            }
            System.out.println("config-builder: still waiting for the first config before starting HAProxy");
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "(nothing)" : lines[lines.length - 1];
    }
}
