package dev.roster.config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Checks a config file with HAProxy itself: {@code <binary> -c -f <file>}. */
public final class HaproxyValidator {
    private static final Pattern BANNER = Pattern.compile(
            "(?m)^\\[NOTICE]\\s+\\(\\d+\\) : (haproxy version is|path to executable is) .*(\\R|$)");
    private final String binary;
    private final Duration timeout;

    /**
     * @param binary  the HAProxy executable, a path or a name looked up on the PATH
     * @param timeout how long {@code haproxy -c} may run; past it the process is killed and the file fails
     */
    public HaproxyValidator(String binary, Duration timeout) {
        this.binary = binary;
        this.timeout = timeout;
    }

    public static HaproxyValidator forSettings(ConfigBuilderSettings settings) {
        return new HaproxyValidator(settings.haproxyBinary(), settings.validateTimeout());
    }

    /**
     * The verdict on a file.
     *
     * @param valid   whether HAProxy accepted it (exit code 0)
     * @param message HAProxy's output (stdout and stderr, trimmed, without the two NOTICE lines giving its
     *                version and path): its alerts when invalid, warnings and "Configuration file is valid"
     *                otherwise; or why HAProxy could not be run
     */
    public record Result(boolean valid, String message) {
    }

    /** Never throws for a bad file or a missing binary: both are an invalid {@link Result} saying why. */
    public Result validate(Path file) {
        Path output;
        try {
            // A file, not a pipe: nothing to drain while HAProxy runs, so no reader thread.
            output = Files.createTempFile("roster-haproxy-check-", ".log");
        } catch (IOException e) {
            return new Result(false, "cannot create a temporary file for " + binary + " -c output: " + e.getMessage());
        }
        try {
            return run(file, output);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A stray file in the temporary folder is not worth failing a validation for.
            }
        }
    }

    private Result run(Path file, Path output) {
        ProcessBuilder builder = new ProcessBuilder(List.of(binary, "-c", "-f", file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(false, "cannot run " + binary + ": " + e.getMessage());
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(1, TimeUnit.SECONDS);
                return new Result(false, binary + " -c did not finish within " + timeout.toMillis() + " ms");
            }
            return new Result(process.exitValue() == 0, withoutBanner(Files.readString(output, StandardCharsets.UTF_8)));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted while " + binary + " -c was running");
        } catch (IOException e) {
            return new Result(false, "cannot read the output of " + binary + " -c: " + e.getMessage());
        }
    }

    /** HAProxy's output less the two NOTICE lines it prints on every run (its version and path). */
    static String withoutBanner(String output) {
        return BANNER.matcher(output).replaceAll("").trim();
    }
}
