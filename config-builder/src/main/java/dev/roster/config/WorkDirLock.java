package dev.roster.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The lock on a config builder's work folder ({@code .config-builder.lock}): one writer of versions and
 * of the live file at a time, whether a running builder or {@code roster config activate}.
 */
public final class WorkDirLock implements AutoCloseable {
    public static final String LOCK_FILE = ".config-builder.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code workDir} (creating the folder), or returns empty if someone holds it. */
    public static Optional<WorkDirLock> tryAcquire(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path file = workDir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(new WorkDirLock(file, channel, lock));
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
