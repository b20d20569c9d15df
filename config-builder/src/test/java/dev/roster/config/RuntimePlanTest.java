package dev.roster.config;

import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.roster.config.TestSupport.member;
import static dev.roster.config.TestSupport.pool;
import static org.assertj.core.api.Assertions.assertThat;

class RuntimePlanTest {
    private static final ConfigRenderer DEFAULT = ConfigRenderer.defaultTemplate();

    private static ConfigModel model(PoolSnapshot... pools) {
        return new ConfigModel("haproxy-1", "127.0.0.1", 8080, "/run/haproxy.sock", "/run/server-state", List.of(pools));
    }

    private static Optional<RuntimePlan> plan(ConfigRenderer renderer, ConfigModel live, ConfigModel next) {
        return RuntimePlan.between(live, renderer.render(live), next, renderer.render(next));
    }

    private static Optional<RuntimePlan> plan(ConfigModel live, ConfigModel next) {
        return plan(DEFAULT, live, next);
    }

    @Test
    void joinsAndLeavesInExistingPoolsAreAddedAndDeletedWithTheSettingsOfTheirLines() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80), member("b", "10.0.0.2", 80)));
        ConfigModel next = model(pool("web", 2, 0, 2, member("a", "10.0.0.1", 80),
                new Member("c", "10.0.0.3", 81, 5, Map.of())));

        RuntimePlan plan = plan(live, next).orElseThrow();

        assertThat(plan.membershipCommands()).containsExactly("set server web/b state maint", "del server web/b",
                "add server web/c 10.0.0.3:81 id " + ServerIds.preferred("c") + " check inter 1s fall 2 rise 2 weight 5",
                "enable health web/c", "enable server web/c");
    }

    @Test
    void drainWeightAndAddressChangesNeedNoMembershipCommands() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));
        ConfigModel next = model(pool("web", 2, 0, 2, new Member("a", "10.0.0.9", 81, 3, Map.of(), Member.DRAINING)));

        assertThat(plan(live, next)).map(RuntimePlan::membershipCommands).contains(List.of());
    }

    @Test
    void aNewOrRemovedPoolNeedsAReload() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));

        assertThat(plan(live, model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)),
                pool("api", 1, 1, 1, member("b", "10.0.0.2", 80))))).isEmpty();
        assertThat(plan(live, model())).isEmpty();
    }

    @Test
    void aJoinOrAMoveToAHostNameNeedsAReload() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));

        assertThat(plan(live, model(pool("web", 2, 0, 2, member("a", "10.0.0.1", 80),
                member("b", "web-b.internal", 80))))).isEmpty();
        assertThat(plan(live, model(pool("web", 2, 0, 2, member("a", "web-a.internal", 80))))).isEmpty();
    }

    @Test
    void otherRenderParametersNeedAReload() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));
        ConfigModel next = new ConfigModel("haproxy-1", "127.0.0.1", 9090, "/run/haproxy.sock", "/run/server-state",
                live.pools());

        assertThat(plan(live, next)).isEmpty();
    }

    @Test
    void aTemplateWhoseOtherLinesDependOnMembersNeedsAReloadForJoins() {
        ConfigRenderer counting = ConfigRenderer.fromText("test.hbs", DEFAULT.templateText()
                + "{{#each pools}}\nlisten count-{{name}}\n    bind 127.0.0.1:{{members.length}}0\n{{/each}}");
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));

        assertThat(plan(counting, live, model(pool("web", 2, 0, 2, member("a", "10.0.0.1", 80),
                member("b", "10.0.0.2", 80))))).isEmpty();
        assertThat(plan(counting, live, model(pool("web", 2, 0, 2, new Member("a", "10.0.0.1", 80, 4, Map.of())))))
                .as("a weight change leaves those lines alone").isPresent();
    }

    @Test
    void aTemplateThatRendersTagsOnServerLinesNeedsAReloadWhenTagsChange() {
        ConfigRenderer tagged = ConfigRenderer.fromText("test.hbs", DEFAULT.templateText().replace(
                "weight {{#if draining}}0{{else}}{{weight}}{{/if}}",
                "weight {{#if draining}}0{{else}}{{weight}}{{/if}}{{#if tags.slow}} slowstart 10s{{/if}}"));
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));

        assertThat(plan(tagged, live, model(pool("web", 2, 0, 2,
                new Member("a", "10.0.0.1", 80, 1, Map.of("slow", "yes")))))).isEmpty();
    }

    @Test
    void twinServerLinesNeedAReload() {
        ConfigModel live = model(pool("web", 1, 0, 1, member("a", "10.0.0.1", 80)));

        assertThat(plan(live, model(pool("web", 2, 0, 2, member("a", "10.0.0.1", 80), member("a", "10.0.0.2", 80)))))
                .isEmpty();
    }
}
