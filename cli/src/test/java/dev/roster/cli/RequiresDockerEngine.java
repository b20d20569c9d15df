package dev.roster.cli;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class only where a Docker engine answers (and, with {@code compose}, the {@code docker compose}
 * command exists); elsewhere the class is skipped at once, with the reason in the test report. Put it before
 * {@code @Testcontainers}, whose own reason says less.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerEngineCondition.class)
@interface RequiresDockerEngine {
    /** Also needs the {@code docker compose} (v2) command on the PATH. */
    boolean compose() default false;
}
