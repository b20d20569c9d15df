package dev.roster.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file the template names in {@code server-state-file}: HAProxy's new worker loads it after a reload
 * ({@code load-server-state-from-file global}), so servers keep the state the old worker knew (down
 * after failed checks, drained). The builder saves {@code show servers state} into it before each reload.
 */
final class ServerStateFile {
    /** An empty state in HAProxy's format 1: a file without even this line makes {@code haproxy -c} warn. */
    static final String EMPTY = "1\n";

    private final LiveFile file;

    ServerStateFile(Path path) {
        this.file = new LiveFile(path);
    }

    Path path() {
        return file.path();
    }

    /** Creates the file with no servers in it when it is missing, so that HAProxy finds one to load. */
    void ensureExists() throws IOException {
        if (!Files.exists(file.path())) {
            file.activate(EMPTY);
        }
    }

    /** Replaces the file atomically: a worker starting meanwhile reads the old state or the new, whole. */
    void save(String state) throws IOException {
        file.activate(state.endsWith("\n") ? state : state + "\n");
    }
}
