package dev.roster.config;

import dev.roster.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolSelectionTest {
    @Test
    void matchesNamesAndGlobs() {
        PoolSelection selection = PoolSelection.of("web, api-* ,db-?");

        assertThat(selection.text()).isEqualTo("web,api-*,db-?");
        assertThat(List.of("web", "api-", "api-eu.1", "db-1")).allMatch(selection::matches);
        assertThat(List.of("web2", "my-web", "api", "db-12", "db-")).noneMatch(selection::matches);
        assertThat(selection.isAll()).isFalse();
        assertThat(PoolSelection.ALL.matches("anything.at_all-1")).isTrue();
        assertThat(PoolSelection.of("web,*").isAll()).isTrue();
    }

    @Test
    void refusesWhatIsNoPoolNameOrGlob() {
        assertThatThrownBy(() -> PoolSelection.of("web,,api")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pools must be pool names or globs (letters, digits, '.', '_', '-', '*' and '?') separated"
                        + " by commas, was 'web,,api'");
        assertThatThrownBy(() -> PoolSelection.of("web/1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoolSelection.of(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pools must name at least one pool or glob (use * for every pool)");
    }

    @Test
    void aManifestKeepsTheSelectionAsTextAndOneWithoutItServedEveryPool() throws Exception {
        RenderParameters some = new RenderParameters("haproxy-1", "127.0.0.1", 8080, "", "", PoolSelection.of("api-*"));
        String json = Json.MAPPER.writeValueAsString(some);

        assertThat(json).contains("\"pools\":\"api-*\"");
        assertThat(Json.MAPPER.readValue(json, RenderParameters.class)).isEqualTo(some);
        assertThat(Json.MAPPER.readValue("{\"instance\":\"haproxy-1\",\"frontendAddress\":\"127.0.0.1\","
                + "\"frontendPort\":8080,\"statsSocket\":\"\",\"serverStateFile\":\"\"}", RenderParameters.class).pools())
                .isEqualTo(PoolSelection.ALL);
    }

    @Test
    void theModelHoldsOnlyTheSelectedPools() {
        RenderParameters parameters = new RenderParameters("haproxy-1", "127.0.0.1", 8080, "", "", PoolSelection.of("api-*"));

        ConfigModel model = ConfigModel.of(parameters, List.of(pool("web", 1, 0, 1, member("w", "10.0.0.1", 80)),
                pool("api-1", 2, 0, 2, member("a", "10.0.0.2", 80)), pool("api-2", 1, 0, 3)));

        assertThat(model.poolVersions()).containsOnlyKeys("api-1", "api-2");
        assertThat(model.parameters()).isEqualTo(parameters);
        assertThatThrownBy(() -> new ConfigModel("haproxy-1", "127.0.0.1", 8080, "", "",
                List.of(pool("web", 1, 0, 1)), PoolSelection.of("api-*")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pool web is not one of the pools served: api-*");
    }
}
