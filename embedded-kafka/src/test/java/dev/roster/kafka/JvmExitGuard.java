package dev.roster.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a fatal broker fault from halting the test JVM, and fails the test class if Kafka asked
 * to end the JVM at all.
 */
final class JvmExitGuard implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(JvmExitGuard.class);

    private final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedKafka.interceptJvmExit((kind, statusCode, message) -> {
            String request = kind + " " + statusCode + ": " + message;
            LOG.error("Kafka asked to end the JVM ({}); the test JVM keeps running", request);
            requests.add(request);
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        EmbeddedKafka.restoreJvmExit();
        assertThat(requests).as("requests by Kafka to end the JVM").isEmpty();
    }
}
