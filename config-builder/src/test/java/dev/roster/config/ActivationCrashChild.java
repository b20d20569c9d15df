package dev.roster.config;

import java.nio.file.Path;

/**
 * The builder {@link ActivationCrashIT} kills: applies {@link ActivationCrashIT#NEW} and halts the JVM
 * (no shutdown hooks, no finally blocks, like {@code kill -9}) right after the step named in its arguments.
 */
public final class ActivationCrashChild {
    private ActivationCrashChild() {
    }

    /** Arguments: work folder, frontend port, step name. */
    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args[0]);
        int frontendPort = Integer.parseInt(args[1]);
        FaultPoints.Step crashAfter = FaultPoints.Step.valueOf(args[2]);
        FaultPoints halt = step -> {
            if (step == crashAfter) {
                Runtime.getRuntime().halt(ActivationCrashIT.CRASH_EXIT);
            }
        };
        ConfigApplier.create(ActivationCrashIT.settings(workDir, frontendPort), halt).apply(ActivationCrashIT.NEW);
        System.err.println("applied without reaching " + crashAfter);
        System.exit(1);
    }
}
