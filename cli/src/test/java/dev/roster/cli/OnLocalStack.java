package dev.roster.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Tests of the whole local stack with HAProxy ({@link StackClient#startWithHaproxy(Path)}): started once
 * for the test class, before its own {@code @BeforeAll} methods, and closed after its {@code @AfterAll} ones.
 */
abstract class OnLocalStack {
    @TempDir
    static Path dataDir;
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = StackClient.startWithHaproxy(dataDir);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }
}
