package dev.apim.launcher;

import dev.apim.domain.common.Tenants;
import dev.apim.platform.security.LoginThrottle;
import dev.apim.platform.security.ScopeRules;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management plane's scope enforcement in the running application: every operation under {@code /api/am/}
 * has exactly its scope rule, a user whose roles lack the scope gets WSO2's 900910, and repeated wrong passwords
 * lock the user name on the token endpoint.
 */
class ScopeEnforcementTest extends LauncherTestBase {

    private static final String DEVPORTAL = "/api/am/devportal/v3";

    @Autowired
    ApplicationContext context;
    @Autowired
    ScopeRules scopeRules;
    @Autowired
    LoginThrottle loginThrottle;
    @Autowired
    CommandGateway commandGateway;

    @Test
    void everyManagementOperationHasItsScopeRuleAndEveryRuleAnOperation() {
        List<String> missing = new ArrayList<>();
        Set<String> served = new LinkedHashSet<>();
        int operations = 0;
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    String template = pattern.getPatternString();
                    if (!template.startsWith("/api/am/")) {
                        continue;
                    }
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    if (methods.isEmpty()) {
                        missing.add("ANY " + template + " (a handler must declare its HTTP method)");
                        continue;
                    }
                    for (RequestMethod method : methods) {
                        operations++;
                        String operation = method + " " + ScopeRules.normalized(template);
                        served.add(operation);
                        Optional<ScopeRules.Rule> rule = scopeRules.match(HttpMethod.valueOf(method.name()),
                                template.replaceAll("\\{[^}]*}", "sample-id"));
                        if (rule.isEmpty() || !ScopeRules.normalized(rule.get().pattern().getPatternString())
                                .equals(ScopeRules.normalized(template))) {
                            missing.add(method + " " + template
                                    + rule.map(r -> " (matched by " + r.pattern() + " instead)").orElse(""));
                        }
                    }
                }
            }
        }
        assertThat(operations).as("management operations found").isGreaterThan(50);
        assertThat(missing).as("operations under /api/am/ without their own scope rule").isEmpty();
        List<String> stale = scopeRules.rules().stream()
                .map(rule -> rule.method() + " " + ScopeRules.normalized(rule.pattern().getPatternString()))
                .filter(operation -> !served.contains(operation))
                .toList();
        assertThat(stale).as("scope rules for operations no handler serves").isEmpty();
    }

    @Test
    void aSubscriberCannotCreateAnApiForLackOfApimApiCreate() {
        WebTestClient subscriber = as(TestUsers.register(commandGateway, "scope-sub-" + unique(), "subscriber"));
        String suffix = unique();
        long before = eventCount();

        EntityExchangeResult<byte[]> refused = subscriber.post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Scoped-" + suffix, "/scoped-" + suffix, "1.0.0")))
                .exchange()
                .expectStatus().isForbidden()
                .expectBody().returnResult();

        JsonNode error = assertWso2Error(refused.getResponseBody(), 900910L);
        assertThat(text(error, "message"))
                .isEqualTo("The access token does not allow you to access the requested resource");
        assertThat(text(error, "description")).contains("apim:api_create").contains("apim:api_manage");
        assertThat(refused.getResponseHeaders().getFirst("WWW-Authenticate"))
                .startsWith("Bearer error=\"insufficient_scope\"")
                .contains("scope=\"apim:api_create apim:api_manage\"");
        assertThat(eventCount()).as("events written by the refused request").isEqualTo(before);
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ? AND payload LIKE ?",
                API_CREATED, "%/scoped-" + suffix + "%")).isZero();

        // the same user may do what its scopes allow
        subscriber.get().uri(DEVPORTAL + "/applications").exchange().expectStatus().isOk();
    }

    @Test
    void aCreatorCreatesAnApiButCannotPublishIt() {
        WebTestClient creator = as(TestUsers.register(commandGateway, "scope-creator-" + unique(), "creator"));
        String suffix = unique();
        String apiId = text(tree(creator.post().uri(PUBLISHER + "/apis")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Created-" + suffix, "/created-" + suffix, "1.0.0")))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult()), "id");

        long before = eventCount();
        byte[] body = creator.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueMatches("WWW-Authenticate", ".*scope=\"apim:api_publish apim:api_manage.*")
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(body, 900910L);
        assertThat(eventCount()).isEqualTo(before);
        // the creator has no Developer Portal scopes either
        assertWso2Error(creator.get().uri(DEVPORTAL + "/applications").exchange()
                .expectStatus().isForbidden().expectBody().returnResult().getResponseBody(), 900910L);
    }

    @Test
    void anOperationWithoutARuleIsDeniedToAnAuthenticatedCaller() {
        byte[] body = client.get().uri(PUBLISHER + "/no-such-resource").exchange()
                .expectStatus().isForbidden()
                .expectBody().returnResult().getResponseBody();
        assertWso2Error(body, 900910L);
        // authentication still comes first
        anonymous.get().uri(PUBLISHER + "/no-such-resource").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void repeatedWrongPasswordsLockTheUserEvenAgainstTheRightPassword() {
        String name = TestUsers.register(commandGateway, "scope-bf-" + unique(), "subscriber");
        for (int i = 0; i < 5; i++) {
            wrongPassword(name).expectStatus().isBadRequest();
        }

        EntityExchangeResult<byte[]> locked = tokenRequest(testClient(), java.util.Map.of("grant_type", "password",
                "username", name, "password", TestUsers.PASSWORD))
                .expectStatus().isBadRequest()
                .expectBody().returnResult();
        assertThat(text(tree(locked), "error")).isEqualTo("invalid_grant");
        assertThat(Long.parseLong(locked.getResponseHeaders().getFirst("Retry-After")))
                .isPositive().isLessThanOrEqualTo(15 * 60);

        loginThrottle.reset("user:" + Tenants.SUPER_TENANT + "/" + name).block();
        as(name).get().uri(DEVPORTAL + "/applications").exchange().expectStatus().isOk();
    }

    @Test
    void aSuccessfulLoginClearsEarlierFailures() {
        String name = TestUsers.register(commandGateway, "scope-ok-" + unique(), "subscriber");
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                wrongPassword(name).expectStatus().isBadRequest();
            }
            as(name).get().uri(DEVPORTAL + "/applications").exchange().expectStatus().isOk();
        }
        assertThat(loginThrottle.checkAllowed("user:" + Tenants.SUPER_TENANT + "/" + name).block()).isZero();
    }

    private WebTestClient.ResponseSpec wrongPassword(String name) {
        return tokenRequest(testClient(), java.util.Map.of("grant_type", "password", "username", name,
                "password", "not-the-password-1"));
    }

    private WebTestClient as(String username) {
        return as(username, TestUsers.PASSWORD);
    }
}
