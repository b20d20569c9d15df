package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be known of compose/docker-compose.yml without a Docker engine: it parses, every service is there
 * and wired as an operator would want it, the web app scales without editing anything, and every image it
 * builds comes from a Dockerfile stage of this repository. (CI also runs {@code docker-compose config} when
 * Debian's docker-compose is installed.)
 */
class ComposeFileTest {
    static final Path COMPOSE_DIR = Repository.root().resolve("compose");
    static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::-([^}]*))?}");
    static JsonNode services;
    static String dockerfile;

    @BeforeAll
    static void readComposeFile() throws Exception {
        try (Reader reader = Files.newBufferedReader(COMPOSE_DIR.resolve("docker-compose.yml"))) {
            // SnakeYAML resolves anchors and <<: merge keys as docker compose does.
            Object compose = new Yaml(new LoaderOptions()).load(reader);
            services = new ObjectMapper().valueToTree(compose).path("services");
        }
        dockerfile = Files.readString(COMPOSE_DIR.resolve("Dockerfile"));
    }

    @Test
    void holdsKafkaTopicsHistoryApiHaproxyItsConfigBuilderAndTheWebApp() {
        List<String> names = new ArrayList<>();
        services.properties().forEach(service -> names.add(service.getKey()));
        assertThat(names).containsExactlyInAnyOrder("kafka", "topics", "history-api", "haproxy", "config-builder", "webapp");
    }

    @Test
    void kafkaIsTheOfficialImageInKraftModeAndTheRolesFindItByServiceName() {
        JsonNode kafka = services.path("kafka");
        assertThat(resolve(kafka.path("image").asText())).as("the image the Docker tests run").isEqualTo(DockerImages.KAFKA);
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(resolve(kafka.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText()))
                .isEqualTo("PLAINTEXT://kafka:9092,HOST://127.0.0.1:9094");
        assertThat(kafka.path("ports")).extracting(port -> resolve(port.asText())).as("tools on this machine only")
                .containsExactly("127.0.0.1:9094:9094");
        assertThat(kafka.path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText()).isEqualTo("false");
        for (String role : List.of("topics", "history-api", "config-builder", "webapp")) {
            assertThat(services.path(role).path("environment").path("ROSTER_BOOTSTRAP_SERVER").asText()).as(role)
                    .isEqualTo("kafka:9092");
        }
    }

    @Test
    void theWebAppScalesWithoutEditingAnything() {
        JsonNode webapp = services.path("webapp");
        assertThat(webapp.has("container_name")).as("a fixed container name forbids --scale").isFalse();
        assertThat(webapp.has("hostname")).as("the member name comes from each container's own host name").isFalse();
        assertThat(webapp.has("ports")).as("published ports would clash between instances").isFalse();
        assertThat(webapp.path("command").toString()).doesNotContain("--member").doesNotContain("--advertise");
        services.properties().forEach(service -> {
            String text = service.getValue().toString();
            assertThat(text).as("%s: no fixed IPs", service.getKey()).doesNotContain("ipv4_address").doesNotContain("ipv6_address");
            assertThat(text).as("%s: no node list", service.getKey()).doesNotContainPattern("webapp[-_][0-9]");
        });
    }

    @Test
    void everyServiceHasAHealthCheckAndARestartPolicy() {
        services.properties().forEach(service -> {
            JsonNode definition = service.getValue();
            if (service.getKey().equals("topics")) {
                assertThat(definition.path("restart").asText()).as("the one-shot topics step").isEqualTo("on-failure");
                return;
            }
            assertThat(definition.path("restart").asText()).as(service.getKey()).isEqualTo("unless-stopped");
            assertThat(definition.path("healthcheck").path("test").isArray()).as(service.getKey() + " healthcheck").isTrue();
        });
    }

    @Test
    void rosterServicesStartOnceTheTopicsExistAndTheTopicsOnceKafkaIsHealthy() {
        assertThat(services.path("topics").path("depends_on").path("kafka").path("condition").asText())
                .isEqualTo("service_healthy");
        for (String role : List.of("history-api", "config-builder", "webapp")) {
            assertThat(services.path(role).path("depends_on").path("topics").path("condition").asText()).as(role)
                    .isEqualTo("service_completed_successfully");
        }
        assertThat(services.path("topics").path("command").toString()).startsWith("[\"topics\",\"create\"");
    }

    @Test
    void theRestApiIsPublishedOnLoopbackOnlyAndHaproxyOnEveryInterface() {
        assertThat(services.path("history-api").path("ports")).extracting(port -> resolve(port.asText()))
                .containsExactly("127.0.0.1:8070:8070");
        assertThat(services.path("haproxy").path("ports")).extracting(port -> resolve(port.asText()))
                .containsExactly("8080:8080");
    }

    @Test
    void haproxyAndItsConfigBuilderShareTheLiveFileAndTheMasterSocket() {
        JsonNode builder = services.path("config-builder");
        JsonNode environment = builder.path("environment");
        String workDir = environment.path("ROSTER_WORK_DIR").asText();
        String socket = environment.path("ROSTER_MASTER_SOCKET").asText();
        assertThat(socket).isEqualTo(workDir + "/master.sock");
        assertThat(environment.path("ROSTER_FRONTEND_ADDRESS").asText()).isEqualTo("0.0.0.0");
        assertThat(environment.path("ROSTER_FRONTEND_PORT").asText()).isEqualTo("8080");

        JsonNode haproxy = services.path("haproxy");
        assertThat(haproxy.path("image").asText()).as("same HAProxy binary validates and runs")
                .isEqualTo(builder.path("image").asText());
        assertThat(haproxy.path("command").get(2).asText())
                .startsWith("until [ -s " + workDir + "/haproxy.cfg ]")
                .endsWith("exec haproxy -W -db -S " + socket + " -f " + workDir + "/haproxy.cfg");
        assertThat(haproxy.path("stop_signal").asText()).as("HAProxy's soft stop").isEqualTo("SIGUSR1");
        assertThat(haproxy.has("depends_on")).as("HAProxy needs nothing but its config to serve").isFalse();
        for (JsonNode service : List.of(haproxy, builder)) {
            assertThat(service.path("volumes")).extracting(JsonNode::asText).containsExactly("haproxy-work:" + workDir);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"topics", "history-api", "haproxy", "config-builder", "webapp"})
    void buildsFromAStageOfTheRepositoryDockerfile(String service) {
        JsonNode build = services.path(service).path("build");
        Path context = COMPOSE_DIR.resolve(build.path("context").asText()).normalize();
        assertThat(context).isEqualTo(Repository.root());
        assertThat(context.resolve(build.path("dockerfile").asText())).isEqualTo(COMPOSE_DIR.resolve("Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^FROM \\S+ AS " + Pattern.quote(build.path("target").asText()) + "$");
    }

    @Test
    void imagesBuildWithMavenAndRunAsNonRootUsers() throws Exception {
        assertThat(dockerfile).contains("FROM maven:3-eclipse-temurin-17 AS build")
                .contains("mvn -B -q -pl cli -am package -DskipTests")
                .contains("FROM eclipse-temurin:17-jre AS roster")
                .contains("FROM ${HAPROXY_IMAGE} AS haproxy");
        assertThat(stage("roster")).contains("USER roster").doesNotContain("USER root\n");
        assertThat(stage("haproxy")).contains("USER haproxy\n").contains("STOPSIGNAL SIGTERM")
                .endsWith("CMD [\"java\", \"-XX:MaxRAMPercentage=50\", \"-jar\", \"/opt/roster/roster.jar\", \"config-builder\"]\n");
        assertThat(stage("haproxy").lastIndexOf("USER haproxy")).isGreaterThan(stage("haproxy").lastIndexOf("USER root"));
        assertThat(Files.readString(Repository.root().resolve(".dockerignore"))).contains("**/target/");
    }

    /** The text of a Dockerfile stage, from its FROM line to the next FROM. */
    private static String stage(String name) {
        Matcher start = Pattern.compile("(?m)^FROM \\S+ AS " + name + "$").matcher(dockerfile);
        assertThat(start.find()).as("stage " + name).isTrue();
        int end = dockerfile.indexOf("\nFROM ", start.end());
        return dockerfile.substring(start.start(), end < 0 ? dockerfile.length() : end + 1);
    }

    /** ${NAME:-default} → default, as compose resolves it when NAME is not set. */
    private static String resolve(String text) {
        return VARIABLE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
    }
}
