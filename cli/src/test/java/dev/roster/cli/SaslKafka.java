package dev.roster.cli;

import dev.roster.kafka.EmbeddedKafka;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A single-node KRaft broker that, unlike the embedded one, locks clients out unless they authenticate
 * (SASL/PLAIN) and are allowed by an ACL (StandardAuthorizer; only {@code User:admin} is a super user):
 * the setting the security documentation is written for.
 */
final class SaslKafka implements AutoCloseable {
    static final String ADMIN = "admin";

    private final KafkaRaftServer server;
    private final int port;
    private final Map<String, String> users;

    private SaslKafka(KafkaRaftServer server, int port, Map<String, String> users) {
        this.server = server;
        this.port = port;
        this.users = users;
    }

    /** @param users user name → password; {@code admin} is added, as the super user */
    static SaslKafka start(Path dataDir, Map<String, String> users) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(users);
        all.put(ADMIN, "admin-pw-" + Uuid.randomUuid());
        int port = FreePort.find();
        int controllerPort = FreePort.find();
        Path logDir = dataDir.resolve("kafka");
        Files.createDirectories(logDir);
        KafkaConfig config = KafkaConfig.fromProps(properties(logDir, port, controllerPort, all), false);
        format(config, logDir);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
        return new SaslKafka(server, port, all);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    String password(String user) {
        return users.get(user);
    }

    /** Client properties to authenticate as {@code user}, as a {@code --kafka-config} file holds them. */
    Map<String, String> clientProperties(String user) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas(user, users.get(user), Map.of()));
    }

    /** Writes {@link #clientProperties(String)} to {@code file}. */
    Path writeClientConfig(String user, Path file) throws IOException {
        Properties props = new Properties();
        props.putAll(clientProperties(user));
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, "Kafka client settings of " + user);
        }
        return file;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties properties(Path logDir, int port, int controllerPort, Map<String, String> users) {
        Properties p = EmbeddedKafka.singleNodeSettings(logDir);
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        Map<String, String> accounts = users.entrySet().stream()
                .collect(Collectors.toMap(e -> "user_" + e.getKey(), Map.Entry::getValue));
        String brokerLogin = jaas(ADMIN, users.get(ADMIN), accounts);
        p.put("listener.name.client.plain.sasl.jaas.config", brokerLogin);
        p.put("listener.name.controller.plain.sasl.jaas.config", brokerLogin);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + ADMIN);
        return p;
    }

    private static String jaas(String user, String password, Map<String, String> accounts) {
        StringBuilder out = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .append(" username=\"").append(user).append("\" password=\"").append(password).append('"');
        accounts.forEach((name, secret) -> out.append(' ').append(name).append("=\"").append(secret).append('"'));
        return out.append(';').toString();
    }

    private static void format(KafkaConfig config, Path logDir) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .addDirectory(logDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
        }
    }
}
