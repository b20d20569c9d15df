package dev.roster.cli;

import dev.roster.config.Commands;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.time.Duration;

/** Evaluates {@link RequiresDockerEngine}: is there a Docker engine (and docker compose) to run containers on? */
final class DockerEngineCondition implements ExecutionCondition {
    private static final String EMBEDDED_TWIN = "; the same join, route, leave and history scenario runs on the"
            + " embedded broker in RosterEndToEndIT";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        RequiresDockerEngine requirement = context.getElement()
                .map(element -> element.getAnnotation(RequiresDockerEngine.class)).orElse(null);
        if (requirement == null) {
            return ConditionEvaluationResult.enabled("no Docker requirement");
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.disabled("no Docker engine answers here (Testcontainers found none: set "
                    + "DOCKER_HOST or start one)" + EMBEDDED_TWIN);
        }
        if (requirement.compose() && !composeInstalled()) {
            return ConditionEvaluationResult.disabled("'docker compose version' does not run: the Docker Compose v2 "
                    + "plugin is needed" + EMBEDDED_TWIN);
        }
        return ConditionEvaluationResult.enabled("a Docker engine answers");
    }

    private static boolean composeInstalled() {
        return Commands.succeeds(Duration.ofSeconds(20), "docker", "compose", "version");
    }
}
