package dev.roster.cli;

import dev.roster.config.ConfigBuilder;
import dev.roster.config.ConfigBuilderSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "config-builder", mixinStandardHelpOptions = true,
        description = "Render every new member set into a numbered haproxy.cfg, validate it with haproxy -c, "
                + "activate it atomically and reload HAProxy through its master socket.")
final class ConfigBuilderCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--work-dir", defaultValue = "${env:ROSTER_WORK_DIR:-.roster/haproxy}",
            description = "Folder of the live haproxy.cfg and of versions/ (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--instance", defaultValue = "haproxy-1",
            description = "Id of the HAProxy instance this builder serves (default ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--template", description = "Handlebars template to render instead of the bundled one.")
    Path template;

    @Option(names = "--frontend-address", defaultValue = "127.0.0.1",
            description = "Address the default template's frontend binds (default ${DEFAULT-VALUE}).")
    String frontendAddress;

    @Option(names = "--frontend-port", defaultValue = "8080",
            description = "Port of the default template's frontend (default ${DEFAULT-VALUE}).")
    int frontendPort;

    @Option(names = "--haproxy", defaultValue = "haproxy", description = "HAProxy executable (default ${DEFAULT-VALUE}).")
    String haproxy;

    @Option(names = "--master-socket", description = "HAProxy's master CLI socket (haproxy -W -S <path>); "
            + "without it configs are activated but HAProxy is not reloaded.")
    Path masterSocket;

    @Option(names = "--stats-socket", description = "HAProxy's runtime API socket, declared by the default "
            + "template (default <work-dir>/haproxy.sock); 'none' for none.")
    String statsSocket;

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
        }
        if (statsSocket != null) {
            settings = settings.withStatsSocket(statsSocket.equals("none") ? null : Path.of(statsSocket));
        }
        ConfigBuilder builder = new ConfigBuilder(settings);
        builder.start();
        System.out.println("config-builder " + instance + ": " + settings.liveFile() + " (versions in "
                + settings.versionsDir() + ")");
        Services.runUntilStopped(builder::close);
        return 0;
    }
}
