package dev.roster.config;

import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the builder right after each step of an activation (a child JVM halts at a {@link FaultPoints}
 * step, as a crash or {@code kill -9} would stop it) while a real HAProxy runs version 1, and shows that
 * the live file is then always version 1 or version 2, complete, that HAProxy keeps serving, and that the
 * next start of the builder finishes the job.
 */
class ActivationCrashIT {
    static final int CRASH_EXIT = 86;
    static final List<PoolSnapshot> OLD = List.of(pool("web", 1, 0, 1, member("one", "127.0.0.1", 9001)));
    static final List<PoolSnapshot> NEW = List.of(pool("web", 2, 0, 2, member("one", "127.0.0.1", 9001),
            member("two", "127.0.0.1", 9002)));

    @TempDir
    Path workDir;

    private HaproxyProcess haproxy;
    private int frontendPort;

    /** The settings of both the test and the child it kills. */
    static ConfigBuilderSettings settings(Path workDir, int frontendPort) {
        return ConfigBuilderSettings.defaults("unused:9092", workDir)
                .withHaproxyBinary(TestSupport.HAPROXY)
                .withFrontend("127.0.0.1", frontendPort)
                .withMasterSocket(workDir.resolve("master.sock"));
    }

    @BeforeEach
    void startHaproxyOnVersionOne() throws IOException {
        TestSupport.assumeHaproxy();
        frontendPort = TestSupport.freePort();
        ConfigApplier.create(settings(workDir, frontendPort)).apply(OLD);
        haproxy = HaproxyProcess.start(settings(workDir, frontendPort));
    }

    @AfterEach
    void stopHaproxy() {
        if (haproxy != null) {
            haproxy.close();
        }
    }

    @ParameterizedTest(name = "crash right after {0}")
    @EnumSource(FaultPoints.Step.class)
    void aCrashAfterAnyStepLeavesTheOldOrTheNewConfigWholeAndTheNextStartFinishes(FaultPoints.Step step)
            throws Exception {
        ConfigBuilderSettings settings = settings(workDir, frontendPort);
        String oldText = ConfigRenderer.render(settings, OLD);
        String newText = ConfigRenderer.render(settings, NEW);

        int exit = crashAfter(step);

        assertThat(exit).as("the child halted at " + step).isEqualTo(CRASH_EXIT);
        boolean renamed = step.compareTo(FaultPoints.Step.LIVE_RENAMED) >= 0;
        assertThat(settings.liveFile()).as("live file after a crash at " + step).hasContent(renamed ? newText : oldText);
        assertThat(haproxy.isAlive()).isTrue();
        assertThat(TestSupport.get(frontendPort, "x")).as("HAProxy still serves").startsWith("503 ");

        ConfigApplier restarted = ConfigApplier.create(settings);
        restarted.restoreLiveFile();
        restarted.apply(NEW);

        assertThat(settings.liveFile()).hasContent(newText);
        assertThat(restarted.store().versions()).containsExactly(1L, 2L);
        assertThat(restarted.store().manifest(2)).map(VersionRecord::status).contains(VersionRecord.APPLIED);
        assertThat(restarted.reloadPending()).isFalse();
        try (Stream<Path> files = Files.list(workDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    /** Runs {@link ActivationCrashChild} to apply {@link #NEW}, halting right after {@code step}. */
    private int crashAfter(FaultPoints.Step step) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = workDir.resolve("child-" + step + ".log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ActivationCrashChild.class.getName(), workDir.toString(), String.valueOf(frontendPort), step.name())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!child.waitFor(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child did not stop within 60 s: " + Files.readString(log));
        }
        if (child.exitValue() != CRASH_EXIT) {
            System.err.println(Files.readString(log));
        }
        return child.exitValue();
    }
}
