package dev.roster.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command to an HAProxy CLI socket (master CLI or stats socket) in non-interactive mode: connect,
 * send the line, read until HAProxy closes. Each call opens its own connection.
 */
final class UnixSocketClient {
    private UnixSocketClient() {
    }

    /** Sends {@code command} (a newline is added) and returns the whole answer, within {@code timeout}. */
    static String exchange(Path socket, String command, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            // HAProxy answers and closes only once it has seen the end of the input.
            channel.shutdownOutput();
            channel.configureBlocking(false);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("HAProxy socket " + socket + " did not answer '" + command + "' within "
                                + timeout.toMillis() + " ms");
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    int read = channel.read(in);
                    if (read < 0) {
                        return answer.toString(StandardCharsets.UTF_8);
                    }
                    answer.write(in.array(), 0, in.position());
                    in.clear();
                }
            }
        }
    }
}
