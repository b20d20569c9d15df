package dev.roster.history;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** With --api-token set, every endpoint but /health and the page's static files needs the token. */
class BearerTokenTest {
    private static final String TOKEN = "s3cret-t0ken";
    @TempDir
    static Path stateDir;
    static ApiFixture api;

    @BeforeAll
    static void start() {
        api = new ApiFixture(stateDir, Optional.of(TOKEN));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/pools", "/api/pools/web/members", "/api/pools/web/events", "/api/configs",
            "/api/configs/1", "/api/dead-letters", "/metrics", "/openapi.json", "/api/nothing"})
    void refusesRequestsWithoutTheToken(String path) throws Exception {
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, "Bearer "}) {
            HttpResponse<String> response = api.get(path, authorization);
            assertThat(response.statusCode()).as(path + " with " + authorization).isEqualTo(401);
            assertThat(response.body()).isEqualTo("{\"detail\":\"this API needs the header Authorization: Bearer <token>"
                    + " (the history-api's --api-token)\",\"error\":\"unauthorized\"}");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
    }

    @ParameterizedTest
    @CsvSource({"/api/pools,200", "/api/pools/web/members,200", "/metrics,200", "/api/nothing,404"})
    void answersRequestsWithTheToken(String path, int status) throws Exception {
        assertThat(api.get(path, "Bearer " + TOKEN).statusCode()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/health", "/", "/timeline.js", "/timeline.css"})
    void servesHealthAndThePageShellWithoutTheToken(String path) throws Exception {
        assertThat(api.get(path).statusCode()).isEqualTo(200);
    }
}
