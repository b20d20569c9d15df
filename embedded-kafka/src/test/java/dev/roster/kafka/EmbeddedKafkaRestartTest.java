package dev.roster.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each test needs brokers of its own here: they start, stop and restart on one data folder. */
@ExtendWith(JvmExitGuard.class)
class EmbeddedKafkaRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void restartOnSameDataFolderKeepsEveryRecord() throws Exception {
        List<Map.Entry<String, String>> sent = IntStream.range(0, 100)
                .mapToObj(i -> Map.entry("member-" + i, "joined pool web at version " + i))
                .toList();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            kafka.createTopic("members", 1, Map.of());
            try (var producer = TestRecords.producer(kafka.bootstrapServers(), Map.of())) {
                for (Map.Entry<String, String> record : sent) {
                    producer.send(new ProducerRecord<>("members", record.getKey(), record.getValue()));
                }
                producer.flush();
            }
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            assertThat(TestRecords.readToEnd(kafka.bootstrapServers(), "members", "read_committed"))
                    .containsExactlyElementsOf(sent);
        }
    }

    @Test
    void startOnFolderOfRunningBrokerFailsNamingTheFolder() throws Exception {
        Path folder = dataDir.toAbsolutePath();
        String expected = "Kafka data folder " + folder + " is already in use by another running broker"
                + " (lock file " + folder.toRealPath().resolve("roster-embedded-kafka.lock") + " is held)";

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
            assertThatThrownBy(() -> EmbeddedKafka.start(dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(expected);

            assertThat(startInOtherJvm(dataDir)).isEqualTo("REFUSED " + expected);

            // The refused attempts left the running broker alone.
            kafka.createTopic("still-running", 1, Map.of());
            assertThat(kafka.admin().listTopics().names().get()).contains("still-running");
        }
    }

    @Test
    void startOnTakenPortFailsAndLeavesNoBrokerThreadsNorLock() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Kafka broker on " + dataDir.toAbsolutePath() + " cannot listen on 127.0.0.1:"
                            + port + ": the port is already in use");
        }

        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(nonDaemonThreads()).isSubsetOf(before));
        try (FileChannel channel = FileChannel.open(dataDir.resolve("roster-embedded-kafka.lock"), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void closeStopsEveryBrokerThreadAndReleasesTheFolder() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir);

        kafka.close();
        kafka.close();

        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(nonDaemonThreads()).isSubsetOf(before));
        assertThatThrownBy(kafka::admin)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Kafka broker on " + dataDir.toAbsolutePath() + " is closed");
        try (FileChannel channel = FileChannel.open(dataDir.resolve("roster-embedded-kafka.lock"), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void rejectsBrokerPortOutOfRange() {
        assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brokerPort must be 0-65535, was 65536");
    }

    /** Runs {@link LockProbe} in a second JVM on the same folder and returns what it printed. */
    private static String startInOtherJvm(Path folder) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), folder.toString())
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("second JVM finished").isTrue();
        assertThat(process.exitValue()).as("exit status of the second JVM, which printed: " + output).isEqualTo(3);
        return output;
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.isDaemon() && thread.isAlive())
                .collect(Collectors.toSet());
    }
}
