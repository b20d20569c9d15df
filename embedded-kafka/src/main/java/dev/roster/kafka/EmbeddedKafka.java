package dev.roster.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM,
 * listening on {@code 127.0.0.1} only.
 *
 * <p>Its data folder survives {@link #close()}: starting again on the same folder keeps every
 * record, even when the ports change. The folder is locked for as long as the broker runs, so a
 * second broker (in this or another process) cannot start on it.
 *
 * <p>The broker is tuned for a single node: internal topics (consumer offsets, transaction state,
 * share-group state) have one partition, replication factor 1 and min ISR 1, so idempotent and
 * transactional producers and exactly-once Kafka Streams work. Topics are never created
 * automatically; use {@link #createTopic(String, int, Map)}.
 *
 * <p>A fatal broker fault makes Kafka end the JVM (halt). Tests that must survive that call
 * {@link #interceptJvmExit(JvmExitHandler)} first.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Our own lock, taken before Kafka touches the folder. */
    static final String LOCK_FILE = "roster-embedded-kafka.lock";
    /** Kafka's log directory (records and metadata log) inside the data folder. */
    static final String KAFKA_DIR = "kafka";
    /** Ports we picked ourselves may be taken by someone else before Kafka binds them. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final int brokerPort;
    private final FolderLock lock;
    private final KafkaRaftServer server;
    private final Admin admin;
    private boolean closed;

    private EmbeddedKafka(Path dataDir, int brokerPort, FolderLock lock, KafkaRaftServer server, Admin admin) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.lock = lock;
        this.server = server;
        this.admin = admin;
    }

    /**
     * Starts a broker on free ports. Same as {@code start(dataDir, 0)}.
     *
     * @param dataDir folder holding all broker data; created if missing, formatted on first use
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker and returns once it accepts clients.
     *
     * @param dataDir    folder holding all broker data; created if missing, formatted on first use
     *                   (when it holds no {@code kafka/meta.properties} yet), reused otherwise
     * @param brokerPort port for clients on 127.0.0.1, or 0 for a free port; the controller always
     *                   gets a free port of its own
     * @throws IllegalStateException if another broker runs on {@code dataDir}, the port is taken,
     *                               or the broker fails to start; no broker threads are left running
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) {
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new IllegalArgumentException("brokerPort must be 0-65535, was " + brokerPort);
        }
        Path folder = dataDir.toAbsolutePath().normalize();
        long startNanos = System.nanoTime();

        // The lock comes before anything else: Kafka's controller writes to the metadata log
        // before Kafka takes its own lock, so a second process would damage a running broker.
        FolderLock lock;
        try {
            lock = FolderLock.acquire(folder, LOCK_FILE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot lock Kafka data folder " + folder + ": " + e, e);
        }
        try {
            Path kafkaDir = folder.resolve(KAFKA_DIR);
            Files.createDirectories(kafkaDir);
            for (int attempt = 1; ; attempt++) {
                int[] ports = choosePorts(brokerPort);
                KafkaConfig config = KafkaConfig.fromProps(brokerProperties(kafkaDir, ports[0], ports[1]), false);
                if (!Files.exists(kafkaDir.resolve("meta.properties"))) {
                    format(config, kafkaDir);
                }
                Optional<KafkaRaftServer> server = startServer(config, folder, ports, brokerPort, attempt);
                if (server.isEmpty()) {
                    continue;
                }
                Admin admin;
                try {
                    admin = createAdmin(HOST + ":" + ports[0]);
                } catch (RuntimeException e) {
                    stopServer(server.get());
                    throw e;
                }
                EmbeddedKafka kafka = new EmbeddedKafka(folder, ports[0], lock, server.get(), admin);
                try {
                    kafka.awaitBrokerVisible();
                } catch (RuntimeException e) {
                    kafka.close();
                    throw e;
                }
                LOG.info("Kafka broker started at {}:{} (controller port {}) on {} in {} ms",
                        HOST, ports[0], ports[1], folder,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return kafka;
            }
        } catch (IOException e) {
            lock.close();
            throw new IllegalStateException("Cannot prepare Kafka data folder " + folder + ": " + e, e);
        } catch (RuntimeException | Error e) {
            lock.close(); // idempotent: close() may have released it already
            throw e;
        }
    }

    /** {@code "127.0.0.1:PORT"}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The absolute data folder this broker runs on. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     * A topic that already exists is left exactly as it is (its partitions and configs are not
     * compared or changed).
     *
     * @param partitions at least 1
     * @param configs    topic-level settings such as {@code cleanup.policy}; may be empty, not null
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Objects.requireNonNull(name, "name must not be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Map<String, String> topicConfigs = Map.copyOf(Objects.requireNonNull(configs, "configs must not be null"));
        NewTopic topic = new NewTopic(name, Optional.of(partitions), Optional.of((short) 1)).configs(topicConfigs);
        try {
            await(admin().createTopics(List.of(topic)).all(), "create topic " + name);
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        awaitLeaders(name);
    }

    /**
     * A shared admin client for this broker. Do not close it; {@link #close()} does.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public Admin admin() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Kafka broker on " + dataDir + " is closed");
            }
        }
        return admin;
    }

    /**
     * Shuts the broker down in order, waits until it has stopped and releases the data folder.
     * Calling it again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Closing the admin client of the Kafka broker on {} failed", dataDir, e);
        }
        try {
            stopServer(server);
        } finally {
            lock.close();
        }
        LOG.info("Kafka broker on {} stopped in {} ms", dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
    }

    /** How Kafka asked to end the JVM: {@code System.exit} or {@code Runtime.halt}. */
    public enum JvmExitKind { EXIT, HALT }

    /** Called instead of ending the JVM, on the Kafka thread that asked for it. */
    @FunctionalInterface
    public interface JvmExitHandler {
        /**
         * @param statusCode the status Kafka would have ended the JVM with
         * @param message    Kafka's reason, may be null
         */
        void onJvmExit(JvmExitKind kind, int statusCode, String message);
    }

    /**
     * Makes Kafka call {@code handler} instead of exiting or halting the JVM, for every Kafka
     * server and client in this JVM, until {@link #restoreJvmExit()}. Meant for tests: in a real
     * process a fatal broker fault should end the process.
     */
    public static void interceptJvmExit(JvmExitHandler handler) {
        Objects.requireNonNull(handler, "handler must not be null");
        Exit.setExitProcedure((statusCode, message) -> handler.onJvmExit(JvmExitKind.EXIT, statusCode, message));
        Exit.setHaltProcedure((statusCode, message) -> handler.onJvmExit(JvmExitKind.HALT, statusCode, message));
    }

    /** Lets Kafka end the JVM again on a fatal fault. */
    public static void restoreJvmExit() {
        Exit.resetExitProcedure();
        Exit.resetHaltProcedure();
    }

    /** All broker settings, in one place. */
    static Properties brokerProperties(Path kafkaDir, int brokerPort, int controllerPort) {
        Properties p = singleNodeSettings(kafkaDir);
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // A static voter, not a dynamic quorum: the voter set then lives in this config rather
        // than in the metadata log, so the controller port may change between restarts.
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        return p;
    }

    /**
     * What any one-node, in-process broker needs besides its roles and listeners: its log folder, internal
     * topics it can serve alone, and a small footprint. Shared with brokers that tests set up otherwise
     * (with SASL, say).
     */
    public static Properties singleNodeSettings(Path kafkaDir) {
        Properties p = new Properties();
        p.put("log.dirs", kafkaDir.toString());

        // One node: anything above 1 makes internal topics unavailable, and exactly-once then
        // hangs in initTransactions.
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        // Nobody else will join: waiting 3 s for more group members only slows every first poll.
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small footprint: the default dedupe buffer alone takes 128 MiB of heap.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.put("offsets.topic.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("transaction.state.log.segment.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        return p;
    }

    /** Returns {brokerPort, controllerPort}. */
    private static int[] choosePorts(int brokerPort) throws IOException {
        InetAddress host = InetAddress.getByName(HOST);
        try (ServerSocket first = new ServerSocket(); ServerSocket second = new ServerSocket()) {
            first.bind(new InetSocketAddress(host, 0));
            second.bind(new InetSocketAddress(host, 0));
            return brokerPort == 0
                    ? new int[] {first.getLocalPort(), second.getLocalPort()}
                    : new int[] {brokerPort, first.getLocalPort() == brokerPort ? second.getLocalPort() : first.getLocalPort()};
        }
    }

    private static void format(KafkaConfig config, Path kafkaDir) {
        String clusterId = Uuid.randomUuid().toString();
        MetadataVersion version = MetadataVersion.LATEST_PRODUCTION;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setReleaseVersion(version)
                    .setUnstableFeatureVersionsEnabled(false)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setHasDynamicQuorum(false)
                    .addDirectory(kafkaDir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka storage in " + kafkaDir + ": " + e.getMessage(), e);
        }
        LOG.info("Formatted new Kafka storage in {} (cluster id {}, metadata.version {})", kafkaDir, clusterId, version);
        LOG.debug("Kafka storage formatter said: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    /**
     * Starts the server; empty when a port we picked was taken meanwhile and another attempt is
     * worth it. A failed server is always shut down first: its threads would keep the JVM alive.
     */
    private static Optional<KafkaRaftServer> startServer(KafkaConfig config, Path folder, int[] ports,
                                                         int requestedBrokerPort, int attempt) {
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            return Optional.of(server);
        } catch (RuntimeException e) {
            stopServer(server);
            boolean portTaken = hasCause(e, BindException.class);
            if (portTaken && requestedBrokerPort != 0 && !isFree(requestedBrokerPort)) {
                throw new IllegalStateException("Kafka broker on " + folder + " cannot listen on "
                        + HOST + ":" + requestedBrokerPort + ": the port is already in use", e);
            }
            if (portTaken && attempt < START_ATTEMPTS) {
                LOG.info("Port {} or {} was taken while the Kafka broker started; trying other ports",
                        ports[0], ports[1]);
                return Optional.empty();
            }
            throw new IllegalStateException("Kafka broker on " + folder + " (port " + ports[0]
                    + ", controller port " + ports[1] + ") failed to start: " + e.getMessage(), e);
        }
    }

    private static void stopServer(KafkaRaftServer server) {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            LOG.warn("Kafka broker shutdown failed", e);
        }
        try {
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Waiting for the Kafka broker to shut down failed", e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Admin createAdmin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "roster-embedded-kafka-admin"));
    }

    private void awaitBrokerVisible() {
        await(admin.describeCluster().nodes(), "describe the cluster at " + bootstrapServers());
    }

    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description =
                        await(admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic).get(topic);
                if (description != null && description.partitions().stream().allMatch(EmbeddedKafka::hasLeader)) {
                    return;
                }
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topic " + topic + " has no leader for every partition after "
                        + ADMIN_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for topic " + topic, e);
            }
        }
    }

    private static boolean hasLeader(TopicPartitionInfo partition) {
        return partition.leader() != null && !partition.leader().isEmpty();
    }

    /** Waits for an admin result; failures come back as IllegalStateException with Kafka's cause. */
    private static <T> T await(KafkaFuture<T> future, String action) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot " + action + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot " + action + ": no answer after " + ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + action, e);
        }
    }
}
