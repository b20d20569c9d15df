package dev.roster.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A demo node with its agent in a JVM of its own, so that a test can crash it for real (kill -9:
 * no leave is sent, the heartbeats just stop).
 */
final class ChildNode implements AutoCloseable {
    private final Process process;

    private ChildNode(Process process) {
        this.process = process;
    }

    static ChildNode start(String bootstrapServers, String pool, String member, int port, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Roster.class.getName(), "demo-node", "--member", member,
                "--port", Integer.toString(port), "--pool", pool, "--bootstrap-server", bootstrapServers);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ChildNode(process);
    }

    /** SIGKILL: the node and its agent vanish without a word. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
