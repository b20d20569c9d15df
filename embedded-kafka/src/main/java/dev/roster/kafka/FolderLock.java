package dev.roster.kafka;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Exclusive use of a data folder, against other processes and against this JVM. */
final class FolderLock implements AutoCloseable {

    /**
     * Folders locked by this JVM. Checked before opening the lock file: on Linux, closing any
     * channel on a locked file drops the process's lock, even one taken through another channel,
     * so a refused second start must never open (and close) the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private FolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code folder} if needed and locks {@code folder/lockFileName}.
     *
     * @throws IllegalStateException naming the folder if a broker in this or another process holds it
     */
    static FolderLock acquire(Path folder, String lockFileName) throws IOException {
        Files.createDirectories(folder);
        Path key = folder.toRealPath();
        Path lockFile = key.resolve(lockFileName);
        if (!HELD.add(key)) {
            throw alreadyInUse(folder, lockFile);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw alreadyInUse(folder, lockFile);
            }
            return new FolderLock(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD.remove(key);
            throw e;
        }
    }

    /** Releases the lock; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot release the lock on Kafka data folder " + folder, e);
        } finally {
            HELD.remove(folder);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static IllegalStateException alreadyInUse(Path folder, Path lockFile) {
        return new IllegalStateException("Kafka data folder " + folder
                + " is already in use by another running broker (lock file " + lockFile + " is held)");
    }
}
