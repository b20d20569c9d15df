package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.config.HaproxyProcess;
import dev.roster.core.Json;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What end-to-end tests do with a running {@link LocalStack}: start it, send traffic, ask the API. */
final class StackClient {
    private StackClient() {
    }

    /** Starts a stack with HAProxy on free ports; skips outside CI when HAProxy is missing, fails in CI. */
    static LocalStack startWithHaproxy(Path dataDir) throws Exception {
        requireHaproxy();
        return LocalStack.start(settings(dataDir));
    }

    /** Like {@link #startWithHaproxy(Path)}, on an existing Kafka cluster instead of the embedded broker. */
    static LocalStack startWithHaproxy(Path dataDir, String bootstrapServers) throws Exception {
        requireHaproxy();
        return LocalStack.startOn(bootstrapServers, settings(dataDir));
    }

    private static LocalStack.Settings settings(Path dataDir) {
        return new LocalStack.Settings(dataDir, "web", "127.0.0.1", 0, 0, 0, true);
    }

    private static void requireHaproxy() {
        boolean installed = HaproxyProcess.isInstalled("haproxy");
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(installed, "haproxy is not installed (apt-get install haproxy)");
        }
        assertThat(installed).as("haproxy on the PATH (CI installs it)").isTrue();
    }

    /** Sends {@code count} requests through HAProxy, each on a new connection; returns who answered. */
    static Set<String> membersAnswering(LocalStack stack, int count) {
        return membersAnswering(stack.frontendUrl(), count);
    }

    /** Sends {@code count} requests to {@code frontendUrl}, each on a new connection; returns who answered. */
    static Set<String> membersAnswering(String frontendUrl, int count) {
        Set<String> members = new HashSet<>();
        for (int i = 0; i < count; i++) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(frontendUrl + "/").toURL()
                        .openConnection();
                connection.setRequestProperty("Connection", "close");
                connection.setConnectTimeout(1000);
                connection.setReadTimeout(2000);
                try {
                    if (connection.getResponseCode() == 200) {
                        members.add(Json.MAPPER.readTree(connection.getInputStream()).path("member").asText());
                    }
                } finally {
                    connection.disconnect();
                }
            } catch (IOException e) {
                // A refused or reset request counts as answered by nobody.
            }
        }
        return members;
    }

    static JsonNode getJson(LocalStack stack, String path) throws IOException {
        return getJson(stack.apiUrl(), path);
    }

    /** The JSON of a 200 answer; empty for any other answer, or none (not up yet). */
    static Optional<JsonNode> tryGetJson(String apiUrl, String path) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(apiUrl + path).toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode() == 200
                        ? Optional.of(Json.MAPPER.readTree(connection.getInputStream())) : Optional.empty();
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static JsonNode getJson(String apiUrl, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(apiUrl + path).toURL().openConnection();
        try {
            assertThat(connection.getResponseCode()).as(path).isEqualTo(200);
            return Json.MAPPER.readTree(connection.getInputStream());
        } finally {
            connection.disconnect();
        }
    }

    static String getText(LocalStack stack, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(stack.apiUrl() + path).toURL().openConnection();
        try {
            assertThat(connection.getResponseCode()).as(path).isEqualTo(200);
            return new String(connection.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * One request through HAProxy with the given Host header, on a plain socket (HttpURLConnection will
     * not set Host); returns the member that answered, or null.
     */
    static String memberAnsweringHost(LocalStack stack, String host) {
        URI frontend = URI.create(stack.frontendUrl());
        try (java.net.Socket socket = new java.net.Socket(frontend.getHost(), frontend.getPort())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!response.startsWith("HTTP/1.0 200") && !response.startsWith("HTTP/1.1 200")) {
                return null;
            }
            return Json.MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4)).path("member").asText();
        } catch (IOException e) {
            return null;
        }
    }
}
