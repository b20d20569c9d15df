package dev.roster.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
    private static final String TEMP_SUFFIX = ".tmp";
    private final Path path;
    private final FaultPoints faults;

    public LiveFile(Path path) {
        this(path, FaultPoints.NONE);
    }

    /** A live file whose {@link #activate(String)} reports its steps to {@code faults} (for crash tests). */
    public LiveFile(Path path, FaultPoints faults) {
        this.path = path.toAbsolutePath().normalize();
        this.faults = faults;
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
     * survives a crash. A crash at any point leaves the live file either as it was or as {@code text},
     * complete; at worst a temporary file {@code .haproxy.cfg.*.tmp} stays behind, which
     * {@link #removeLeftovers()} deletes.
     */
    public void activate(String text) throws IOException {
        Path dir = path.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, tempPrefix(), TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                faults.reached(FaultPoints.Step.LIVE_TEMP_WRITTEN);
                channel.force(true);
            }
            makeWorldReadable(temp);
            faults.reached(FaultPoints.Step.LIVE_TEMP_SYNCED);
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            faults.reached(FaultPoints.Step.LIVE_RENAMED);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
        faults.reached(FaultPoints.Step.LIVE_DIR_SYNCED);
    }

    /** Deletes temporary files a crash during {@link #activate(String)} left beside the live file. */
    public void removeLeftovers() throws IOException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, tempPrefix() + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private String tempPrefix() {
        return "." + path.getFileName() + ".";
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
