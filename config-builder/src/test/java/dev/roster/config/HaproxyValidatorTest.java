package dev.roster.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HaproxyValidatorTest {
    @TempDir
    Path dir;

    private final HaproxyValidator validator = new HaproxyValidator(TestSupport.HAPROXY, Duration.ofSeconds(10));

    @Test
    void acceptsAValidConfig() throws IOException {
        TestSupport.assumeHaproxy();
        Path file = Files.writeString(dir.resolve("ok.cfg"), """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                frontend roster
                    bind 127.0.0.1:8080
                """);

        assertThat(validator.validate(file)).isEqualTo(new HaproxyValidator.Result(true, "Configuration file is valid"));
    }

    @Test
    void rejectsAnUnknownKeywordWithHaproxysOwnMessage() throws IOException {
        TestSupport.assumeHaproxy();
        Path file = Files.writeString(dir.resolve("broken.cfg"), "global\n    bogus-keyword 1\n");

        HaproxyValidator.Result result = validator.validate(file);

        assertThat(result.valid()).isFalse();
        assertThat(TestSupport.withoutPids(result.message())).isEqualTo("""
                [ALERT]    (PID) : config : parsing [%1$s:2] : unknown keyword 'bogus-keyword' in 'global' section
                [ALERT]    (PID) : config : Error(s) found in configuration file : %1$s
                [ALERT]    (PID) : config : Fatal errors found in configuration.""".formatted(file));
    }

    @Test
    void rejectsTwoServersWithOneNameWithHaproxysOwnMessage() throws IOException {
        TestSupport.assumeHaproxy();
        Path file = Files.writeString(dir.resolve("twice.cfg"), """
                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                backend web
                    server a 127.0.0.1:1 check
                    server a 127.0.0.1:2 check
                """);

        HaproxyValidator.Result result = validator.validate(file);

        assertThat(result.valid()).isFalse();
        assertThat(TestSupport.withoutPids(result.message())).isEqualTo("""
                [ALERT]    (PID) : config : parsing [%s:8] : backend 'web', another server named 'a' was already \
                defined at line 7, please use distinct names.
                [ALERT]    (PID) : config : Fatal errors found in configuration.""".formatted(file));
    }

    @Test
    void reportsAMissingBinaryAsInvalid() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.cfg"), "global\n");
        HaproxyValidator missing = new HaproxyValidator("/nonexistent/haproxy", Duration.ofSeconds(5));

        assertThat(missing.validate(file)).isEqualTo(new HaproxyValidator.Result(false,
                "cannot run /nonexistent/haproxy: Cannot run program \"/nonexistent/haproxy\": error=2, "
                        + "No such file or directory"));
    }

    @Test
    void dropsOnlyTheVersionAndPathBanner() {
        String output = """
                [NOTICE]   (12) : haproxy version is 2.6.12-1+deb12u4
                [NOTICE]   (12) : path to executable is /usr/sbin/haproxy
                [WARNING]  (12) : config : something
                Configuration file is valid
                """;

        assertThat(HaproxyValidator.withoutBanner(output))
                .isEqualTo("[WARNING]  (12) : config : something\nConfiguration file is valid");
    }
}
