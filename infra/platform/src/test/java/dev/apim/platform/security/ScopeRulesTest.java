package dev.apim.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeRulesTest {

    private static final String RULES = """
            # comment
            GET    /api/am/publisher/v4/apis                    apim:api_view apim:api_manage
            POST   /api/am/publisher/v4/apis/{apiId}/revisions  apim:api_create apim:api_publish
            GET    /api/am/publisher/v4/apis/{apiId}            apim:api_view
            POST   /api/am/publisher/v4/apis/change-lifecycle   apim:api_publish
            POST   /api/am/publisher/v4/apis/{apiId}            apim:api_create
            GET    /api/am/devportal/v3/apis                    -
            """;

    private final ScopeRules rules = ScopeRules.parse(RULES, RoleScopes.defaults());

    @Test
    void aRequestMatchesTheRuleOfItsMethodAndPath() {
        ScopeRules.Rule rule = rules.match(HttpMethod.POST, "/api/am/publisher/v4/apis/abc-123/revisions").orElseThrow();
        assertThat(rule.scopes()).containsExactly("apim:api_create", "apim:api_publish");
        assertThat(rule.scopeList()).isEqualTo("apim:api_create apim:api_publish");
    }

    @Test
    void anotherMethodOnTheSamePathHasNoRule() {
        assertThat(rules.match(HttpMethod.DELETE, "/api/am/publisher/v4/apis/abc-123/revisions")).isEmpty();
        assertThat(rules.match(HttpMethod.PUT, "/api/am/publisher/v4/apis")).isEmpty();
    }

    @Test
    void aPathNoRuleDescribesHasNoRule() {
        assertThat(rules.match(HttpMethod.GET, "/api/am/publisher/v4/apis/abc/unknown")).isEmpty();
        assertThat(rules.match(HttpMethod.GET, "/api/am/publisher/v4/apis/")).isEmpty();
        assertThat(rules.match(HttpMethod.GET, "/api/am/publisher/v4")).isEmpty();
    }

    @Test
    void theLiteralSegmentWinsOverAVariable() {
        ScopeRules.Rule rule = rules.match(HttpMethod.POST, "/api/am/publisher/v4/apis/change-lifecycle").orElseThrow();
        assertThat(rule.scopes()).containsExactly("apim:api_publish");
        ScopeRules.Rule other = rules.match(HttpMethod.POST, "/api/am/publisher/v4/apis/some-id").orElseThrow();
        assertThat(other.scopes()).containsExactly("apim:api_create");
    }

    @Test
    void headIsCheckedAsGet() {
        assertThat(rules.match(HttpMethod.HEAD, "/api/am/publisher/v4/apis/x").orElseThrow().scopes())
                .containsExactly("apim:api_view");
    }

    @Test
    void anyOneOfTheScopesIsEnough() {
        ScopeRules.Rule rule = rules.match(HttpMethod.GET, "/api/am/publisher/v4/apis").orElseThrow();
        assertThat(rule.permits(Set.of("apim:api_manage"))).isTrue();
        assertThat(rule.permits(Set.of("apim:api_view", "apim:subscribe"))).isTrue();
        assertThat(rule.permits(Set.of("apim:subscribe"))).isFalse();
        assertThat(rule.permits(Set.of())).isFalse();
    }

    @Test
    void aRuleWithoutScopesAdmitsAnyCaller() {
        ScopeRules.Rule rule = rules.match(HttpMethod.GET, "/api/am/devportal/v3/apis").orElseThrow();
        assertThat(rule.scopes()).isEmpty();
        assertThat(rule.permits(Set.of())).isTrue();
    }

    @Test
    void anUnknownScopeIsRefused() {
        assertThatThrownBy(() -> ScopeRules.parse("GET /api/am/x apim:api_veiw", RoleScopes.defaults()))
                .hasMessageContaining("line 1").hasMessageContaining("apim:api_veiw");
    }

    @Test
    void aRuleWithoutScopesOrDashIsRefused() {
        assertThatThrownBy(() -> ScopeRules.parse("GET /api/am/x", RoleScopes.defaults()))
                .hasMessageContaining("line 1");
    }

    @Test
    void anUnsupportedMethodIsRefused() {
        assertThatThrownBy(() -> ScopeRules.parse("OPTIONS /api/am/x -", RoleScopes.defaults()))
                .hasMessageContaining("method");
    }

    @Test
    void twoRulesForOneOperationAreRefusedWhateverTheVariableNames() {
        assertThatThrownBy(() -> ScopeRules.parse("GET /api/am/a/{id} -\nGET /api/am/a/{other} apim:admin",
                RoleScopes.defaults())).hasMessageContaining("line 2").hasMessageContaining("rule already");
    }

    @Test
    void theShippedRulesLoadAndNameOnlyKnownScopes() {
        ScopeRules shipped = ScopeRules.defaults();
        assertThat(shipped.rules()).hasSizeGreaterThan(50);
        assertThat(shipped.rules()).allSatisfy(rule -> {
            assertThat(rule.pattern().getPatternString()).startsWith("/api/am/");
            assertThat(rule.scopes()).allMatch(RoleScopes.defaults()::isKnown);
        });
        // the WSO2 flow: creating an API needs apim:api_create (or apim:api_manage); subscribing apim:subscribe
        assertThat(shipped.match(HttpMethod.POST, "/api/am/publisher/v4/apis").orElseThrow().scopes())
                .containsExactlyInAnyOrder("apim:api_create", "apim:api_manage");
        assertThat(shipped.match(HttpMethod.POST, "/api/am/devportal/v3/subscriptions").orElseThrow().scopes())
                .contains("apim:subscribe");
    }

    @Test
    void aCallerByPasswordHoldsTheScopesOfItsRoles() {
        Caller subscriber = new Caller("sam", "carbon.super", Set.of("subscriber"));
        assertThat(subscriber.hasScope("apim:subscribe")).isTrue();
        assertThat(subscriber.hasScope("apim:api_create")).isFalse();
        Caller none = new Caller("nobody", "carbon.super", null);
        assertThat(none.scopes()).isEmpty();
        Caller token = new Caller("app", "carbon.super", Set.of(), Set.of("apim:api_view"));
        assertThat(token.scopes()).containsExactly("apim:api_view");
    }
}
