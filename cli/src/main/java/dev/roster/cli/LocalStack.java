package dev.roster.cli;

import dev.roster.agent.Agent;
import dev.roster.agent.AgentSettings;
import dev.roster.config.ConfigBuilder;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.config.HaproxyProcess;
import dev.roster.core.TopicSetup;
import dev.roster.history.HistoryApi;
import dev.roster.history.HistoryApiSettings;
import dev.roster.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole Roster stack in one process, as {@code roster up} runs it: an embedded broker, the
 * history-api, the config-builder, HAProxy when it is installed, and demo web nodes with their agents.
 * End-to-end tests drive the same class.
 */
public final class LocalStack implements AutoCloseable {
    /** More demo nodes than this is a load test, not a demo. */
    public static final int MAX_NODES = 50;
    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * @param address      the address HAProxy's frontend binds
     * @param frontendPort HAProxy frontend port; 0 picks a free one
     * @param apiPort      REST API port; 0 picks a free one
     * @param kafkaPort    the embedded broker's port; 0 picks a free one
     * @param startHaproxy start HAProxy when it is on the PATH
     * @param apiAddress   the address the REST API binds; apart from {@code address}, so that opening the
     *                     frontend to the network does not open the history with it
     */
    public record Settings(Path dataDir, String pool, String address, int frontendPort, int apiPort, int kafkaPort,
                           boolean startHaproxy, String apiAddress) {
        /** Settings whose REST API binds to 127.0.0.1. */
        public Settings(Path dataDir, String pool, String address, int frontendPort, int apiPort, int kafkaPort,
                        boolean startHaproxy) {
            this(dataDir, pool, address, frontendPort, apiPort, kafkaPort, startHaproxy, "127.0.0.1");
        }

        public Settings {
            dev.roster.core.Fields.name("pool", pool);
            dev.roster.core.Fields.address("address", address);
            dev.roster.core.Fields.address("api-address", apiAddress);
            if (frontendPort < 0 || frontendPort > 65535) {
                throw new IllegalArgumentException("frontend-port must be 0-65535, was " + frontendPort);
            }
            if (apiPort < 0 || apiPort > 65535) {
                throw new IllegalArgumentException("api-port must be 0-65535, was " + apiPort);
            }
            if (kafkaPort < 0 || kafkaPort > 65535) {
                throw new IllegalArgumentException("kafka-port must be 0-65535, was " + kafkaPort);
            }
        }
    }

    private final Settings settings;
    /** Bootstrap servers of a Kafka cluster to use instead of the embedded broker; null for the embedded one. */
    private final String externalKafka;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private EmbeddedKafka kafka;
    private HistoryApi historyApi;
    private ConfigBuilder configBuilder;
    private HaproxyProcess haproxy;
    private int frontendPort;

    private record Node(DemoNode web, Agent agent) {
    }

    private LocalStack(Settings settings, String externalKafka) {
        this.settings = settings;
        this.externalKafka = externalKafka;
    }

    /** Starts everything but the nodes; on failure, stops what did start and rethrows. */
    public static LocalStack start(Settings settings) throws IOException, InterruptedException {
        return start(settings, null);
    }

    /**
     * Like {@link #start(Settings)}, on an existing Kafka cluster instead of the embedded broker (whose
     * {@code kafkaPort} is then ignored): Roster's topics are created there with one partition where missing.
     */
    public static LocalStack startOn(String bootstrapServers, Settings settings) throws IOException, InterruptedException {
        return start(settings, dev.roster.core.Fields.label("bootstrapServers", bootstrapServers));
    }

    private static LocalStack start(Settings settings, String externalKafka) throws IOException, InterruptedException {
        LocalStack stack = new LocalStack(settings, externalKafka);
        try {
            stack.startServices();
            return stack;
        } catch (IOException | InterruptedException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startServices() throws IOException, InterruptedException {
        Path dataDir = settings.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        if (externalKafka == null) {
            kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), settings.kafkaPort());
            TopicSetup.createAll(kafka.admin(), 1, Optional.empty());
        } else {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, externalKafka))) {
                TopicSetup.createAll(admin, 1, Optional.empty());
            }
        }

        historyApi = new HistoryApi(HistoryApiSettings.defaults(bootstrapServers(), dataDir.resolve("history"))
                .withHttp(settings.apiAddress(), settings.apiPort())).start();
        // The API answers 503 until Kafka Streams runs: only hand out its URL once it answers.
        long apiDeadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (historyApi.state() != org.apache.kafka.streams.KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > apiDeadline) {
                throw new IllegalStateException("history-api is not running after " + READY_TIMEOUT.toSeconds()
                        + " s (state " + historyApi.state() + ")");
            }
            Thread.sleep(20);
        }

        frontendPort = settings.frontendPort() == 0 ? FreePort.find() : settings.frontendPort();
        boolean withHaproxy = settings.startHaproxy() && HaproxyProcess.isInstalled("haproxy");
        ConfigBuilderSettings builderSettings = ConfigBuilderSettings.defaults(bootstrapServers(),
                dataDir.resolve("haproxy")).withFrontend(settings.address(), frontendPort);
        if (withHaproxy) {
            builderSettings = builderSettings.withMasterSocket(dataDir.resolve("haproxy").resolve("master.sock"));
        } else {
            builderSettings = builderSettings.withValidate(false);
        }
        configBuilder = new ConfigBuilder(builderSettings);
        configBuilder.start();
        if (!configBuilder.awaitReady(READY_TIMEOUT)) {
            throw new IllegalStateException("config-builder rendered no config within " + READY_TIMEOUT.toSeconds() + " s");
        }
        if (withHaproxy) {
            haproxy = HaproxyProcess.start(builderSettings);
        }
    }

    /** Starts a demo web node on a free port and its agent, which announces it in the pool. */
    public synchronized DemoNode addNode(String member) throws IOException {
        if (nodes.containsKey(member)) {
            throw new IllegalArgumentException("node " + member + " already runs");
        }
        DemoNode web = DemoNode.start(member, "127.0.0.1", 0);
        try {
            Agent agent = new Agent(AgentSettings.defaults(bootstrapServers(), settings.pool(), member,
                    "127.0.0.1", web.port())).start();
            nodes.put(member, new Node(web, agent));
        } catch (RuntimeException e) {
            web.close();
            throw e;
        }
        return web;
    }

    /**
     * Stops a node gracefully: its agent drains it, leaves, and returns once HAProxy runs a config
     * without it (bounded by the agent's timeouts); only then does the node stop serving.
     */
    public synchronized void stopNode(String member) {
        Node node = nodes.remove(member);
        if (node == null) {
            throw new IllegalArgumentException("no node " + member);
        }
        try {
            node.agent().close();
        } finally {
            node.web().close();
        }
    }

    public synchronized List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    public boolean haproxyRunning() {
        return haproxy != null && haproxy.isAlive();
    }

    public String frontendUrl() {
        return "http://" + settings.address() + ":" + frontendPort;
    }

    public String apiUrl() {
        return historyApi.url();
    }

    public String bootstrapServers() {
        return externalKafka != null ? externalKafka : kafka.bootstrapServers();
    }

    public Path liveConfig() {
        return configBuilder.liveFile();
    }

    public Path versionsDir() {
        return configBuilder.versionsDir();
    }

    public ConfigBuilder configBuilder() {
        return configBuilder;
    }

    /** Nodes leave first, all at once (each waits for a config without it), then every service stops. */
    @Override
    public synchronized void close() {
        List<Node> leaving = new ArrayList<>(nodes.values());
        nodes.clear();
        List<Thread> leaves = new ArrayList<>();
        for (Node node : leaving) {
            Thread leave = new Thread(() -> {
                try {
                    node.agent().close();
                } catch (RuntimeException e) {
                    LOG.warn("node {} did not leave cleanly: {}", node.web().member(), e.toString());
                } finally {
                    node.web().close();
                }
            }, "roster-leave-" + node.web().member());
            leave.start();
            leaves.add(leave);
        }
        for (Thread leave : leaves) {
            try {
                leave.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(haproxy);
        closeQuietly(configBuilder);
        closeQuietly(historyApi);
        closeQuietly(kafka);
        haproxy = null;
        configBuilder = null;
        historyApi = null;
        kafka = null;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }
}
