package dev.roster.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.roster.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The timeline page in headless Chromium, over the known history of {@link ApiFixture}. */
class TimelinePageTest {
    @TempDir
    static Path dir;
    static ApiFixture api;
    static HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(dir.resolve("state"), Optional.empty());
        browser = HeadlessChromium.startOrSkip(dir.resolve("chromium"));
        browser.open(api.url() + "/");
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(browser.evaluate("document.body.dataset.state").asText()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        api.close();
    }

    private static JsonNode page(String script) throws Exception {
        return Json.MAPPER.readTree(browser.evaluate("JSON.stringify(" + script + ")").asText());
    }

    @Test
    void drawsABarPerMemberStretchWithDrainingAndFailureApart() throws Exception {
        JsonNode drawn = page("""
                {
                  pools: [...document.querySelectorAll('section.pool')].map(s => s.dataset.pool),
                  bars: [...document.querySelectorAll('rect.bar')].map(b => b.closest('svg').dataset.pool + '/'
                      + b.dataset.member + ' ' + b.dataset.state + (b.classList.contains('ended-failed') ? ' failed' : '')),
                  ends: [...document.querySelectorAll('rect.end-failed, rect.end-left')].map(e =>
                      e.closest('svg').dataset.pool + '/' + e.dataset.member + ' ' + e.getAttribute('class')),
                  fills: [...new Set([...document.querySelectorAll('rect.bar')].map(b => getComputedStyle(b).fill))]
                }""");
        assertThat(drawn.path("pools").toString()).isEqualTo("[\"api\",\"web\"]");
        assertThat(drawn.path("bars")).extracting(JsonNode::asText).containsExactly("api/a1 active",
                "web/s1 active", "web/s1 draining", "web/s2 active failed", "web/s3 active");
        assertThat(drawn.path("ends")).extracting(JsonNode::asText).containsExactly("web/s1 end-left", "web/s2 end-failed");
        assertThat(drawn.path("fills")).as("active and draining look different").hasSize(2);
        browser.screenshot(Path.of("target", "timeline-page.png"));

        JsonNode s1 = page("[...document.querySelectorAll('svg[data-pool=\"web\"] rect.bar[data-member=\"s1\"]')]"
                + ".map(b => [Number(b.getAttribute('x')), Number(b.getAttribute('width'))])");
        assertThat(s1.get(0).get(0).asDouble() + s1.get(0).get(1).asDouble())
                .as("draining begins where active ends").isCloseTo(s1.get(1).get(0).asDouble(), org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void marksConfigVersionsOnTheTimeAxis() throws Exception {
        JsonNode labels = page("[...document.querySelectorAll('svg[data-pool=\"web\"] .version-label')]"
                + ".map(v => v.firstChild.textContent + (v.classList.contains('rejected') ? ' rejected' : ''))");
        assertThat(labels).extracting(JsonNode::asText).containsExactly("v1", "v2 rejected", "v3");
        assertThat(page("document.querySelectorAll('svg[data-pool=\"web\"] line.version-marker').length").asInt())
                .isEqualTo(3);
        assertThat(browser.evaluate("document.getElementById('status').textContent").asText())
                .startsWith("2 pools, 3 config versions");
    }

    @Test
    void clickingAVersionShowsItsTextAndTheDiffToTheOneBefore() throws Exception {
        browser.evaluate("document.querySelector('svg[data-pool=\"web\"] .version-label[data-version=\"3\"]')"
                + ".dispatchEvent(new MouseEvent('click', {bubbles: true}))");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "ready".equals(browser.evaluate("document.getElementById('version-panel').dataset.state").asText()));
        JsonNode panel = page("""
                {
                  hidden: document.getElementById('version-panel').hidden,
                  title: document.getElementById('version-title').textContent,
                  diffTitle: document.getElementById('version-diff-title').textContent,
                  text: document.getElementById('version-text').textContent,
                  added: [...document.querySelectorAll('#version-diff .diff-add')].map(l => l.textContent),
                  removed: [...document.querySelectorAll('#version-diff .diff-del')].map(l => l.textContent)
                }""");
        assertThat(panel.path("hidden").asBoolean()).isFalse();
        assertThat(panel.path("title").asText()).isEqualTo("Config version 3");
        assertThat(panel.path("diffTitle").asText()).isEqualTo("Diff from version 2");
        assertThat(panel.path("text").asText()).isEqualTo(ApiFixture.CONFIG_3);
        assertThat(panel.path("removed")).extracting(JsonNode::asText).containsExactly("-  server s1 127.0.0.1:8081 weight oops");
        assertThat(panel.path("added")).extracting(JsonNode::asText)
                .containsExactly("+  server s1 127.0.0.1:8081", "+  server s2 127.0.0.1:8082");
        browser.screenshot(Path.of("target", "timeline-version.png"));
    }
}
