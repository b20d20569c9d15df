package dev.roster.kafka;

import java.nio.file.Path;

/**
 * Run in a second JVM: tries to start a broker on a folder, prints {@code STARTED} or
 * {@code REFUSED <message>} and exits with 0 or 3.
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(String[] args) {
        int status;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of(args[0]))) {
            System.out.println("STARTED " + kafka.bootstrapServers());
            status = 0;
        } catch (IllegalStateException e) {
            System.out.println("REFUSED " + e.getMessage());
            status = 3;
        }
        System.exit(status);
    }
}
