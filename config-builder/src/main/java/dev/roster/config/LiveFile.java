package dev.roster.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The file HAProxy runs with. {@link #activate(String)} replaces it atomically: HAProxy (re)reading it
 * at any moment sees either the old complete text or the new one, never a mix, even across a crash.
 */
public final class LiveFile {
    private final Path path;

    public LiveFile(Path path) {
        this.path = path.toAbsolutePath().normalize();
    }

    public Path path() {
        return path;
    }

    /** The current text, or empty if the file does not exist. */
    public Optional<String> read() throws IOException {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
    }

    /**
     * Makes {@code text} the live config: written to a temporary file in the same folder, synced,
     * renamed over the live file ({@code ATOMIC_MOVE}), then the folder is synced so the rename itself
     * survives a crash.
     */
    public void activate(String text) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            makeWorldReadable(temp);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    /** Temp files are created owner-only; HAProxy may run as another user that still must read the config. */
    static void makeWorldReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its default permissions apply.
        }
    }

    /** fsync of a directory, so that a create or rename in it is durable. A no-op where unsupported. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (not Linux) cannot open a directory for sync; the rename is still atomic.
            if (Files.isDirectory(dir) && System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
                return;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
