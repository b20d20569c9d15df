package dev.roster.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Asks the history API over HTTP. A 400 answer is the caller's bad input ({@link IllegalArgumentException},
 * exit code 2); anything else that is not a 200 is an {@link IllegalStateException} with the API's own
 * one-line reason.
 */
final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token null or empty: send none */
    ApiClient(String url, String token) {
        this.base = parse(url);
        this.token = token == null || token.isEmpty() ? null : token;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url == null ? "" : url.replaceAll("/+$", ""));
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("api must be a URL such as http://127.0.0.1:8070, was \"" + url + "\"");
    }

    /** A path with query parameters; null values are left out. */
    static String path(String path, Map<String, ?> query) {
        StringJoiner joined = new StringJoiner("&", path + "?", "").setEmptyValue(path);
        query.forEach((name, value) -> {
            if (value != null) {
                joined.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
        });
        return joined.toString();
    }

    static Map<String, Object> query(Object... namesAndValues) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return query;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach the history API at " + base + ": connection refused"
                    + " (is roster up or roster history-api running? set --api or ROSTER_API)");
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("the history API at " + base + " did not answer within "
                    + TIMEOUT.toSeconds() + " s");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("the history API at " + base + " answered " + response.statusCode()
                    + " with something that is not JSON");
        }
        if (response.statusCode() == 200) {
            return body;
        }
        String message = body.path("error").asText("HTTP " + response.statusCode()) + ": " + body.path("detail").asText("");
        if (response.statusCode() == 400) {
            throw new IllegalArgumentException(message);
        }
        if (response.statusCode() == 401) {
            throw new IllegalStateException("the history API needs a token: set --api-token or ROSTER_API_TOKEN ("
                    + message + ")");
        }
        throw new IllegalStateException(message);
    }
}
