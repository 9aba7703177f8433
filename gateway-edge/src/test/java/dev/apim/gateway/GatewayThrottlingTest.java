package dev.apim.gateway;

import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.Application;
import dev.apim.gateway.model.Policy;
import dev.apim.gateway.model.Subscription;
import dev.apim.gateway.throttle.ThrottleCounter;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayThrottlingTest extends GatewayTestBase {

    private static Policy.Limit perMinute(long n) {
        return new Policy.Limit(Policy.Limit.Type.REQUEST_COUNT, n, Duration.ofMinutes(1));
    }

    @Test
    void the_application_policy_counts_per_application_and_user_and_answers_900803() throws Exception {
        lookup.put(new Policy(Policy.Level.APPLICATION, TENANT, "3PerMin", perMinute(3), null, true, List.of()))
                .put(new Application(APP_ID, TENANT, "App1", "alice", "3PerMin"));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = get("/pizzashack/1.0.0/menu", prodToken());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("x-ratelimit-limit")).hasValue("3");
            assertThat(ok.headers().firstValue("x-ratelimit-remaining")).hasValue(Integer.toString(2 - i));
            assertThat(ok.headers().firstValueAsLong("x-ratelimit-reset").orElse(-1)).isBetween(0L, 60L);
        }
        HttpResponse<String> refused = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(code(refused)).isEqualTo("900803");
        assertThat(refused.body()).contains("\"message\":\"Message throttled out\"").contains("nextAccessTime");
        assertThat(refused.headers().firstValueAsLong("retry-after").orElse(-1)).isBetween(1L, 60L);
        assertThat(refused.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
        // another user of the same application has their own counter
        String bob = km.token(PROD_KEY, dev.apim.domain.keys.KeyType.PRODUCTION, "bob@carbon.super", List.of());
        assertThat(get("/pizzashack/1.0.0/menu", bob).statusCode()).isEqualTo(200);
    }

    @Test
    void the_subscription_policy_answers_900804_and_its_burst_900807() throws Exception {
        lookup.put(new Policy(Policy.Level.SUBSCRIPTION, TENANT, "Two", perMinute(2), null, true, List.of()))
                .put(new Subscription("sub-1", API_ID, APP_ID, TENANT, "Two", "UNBLOCKED"));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        assertThat(get("/pizzashack/1.0.0/orders/1", prodToken()).statusCode()).isEqualTo(200);
        assertThat(code(get("/pizzashack/1.0.0/menu", prodToken()))).isEqualTo("900804");

        lookup.put(new Policy(Policy.Level.SUBSCRIPTION, TENANT, "Burst", perMinute(100),
                        new Policy.Limit(Policy.Limit.Type.REQUEST_COUNT, 1, Duration.ofMinutes(1)), true, List.of()))
                .put(new Subscription("sub-1", API_ID, APP_ID, TENANT, "Burst", "UNBLOCKED"));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        HttpResponse<String> burst = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(burst.statusCode()).isEqualTo(429);
        assertThat(code(burst)).isEqualTo("900807");
    }

    @Test
    void a_subscription_policy_that_does_not_stop_on_quota_never_refuses() throws Exception {
        lookup.put(new Policy(Policy.Level.SUBSCRIPTION, TENANT, "Soft", perMinute(1), null, false, List.of()))
                .put(new Subscription("sub-1", API_ID, APP_ID, TENANT, "Soft", "UNBLOCKED"));
        for (int i = 0; i < 3; i++) {
            assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void the_api_policy_counts_for_every_caller_and_answers_900800() throws Exception {
        lookup.put(new Policy(Policy.Level.API, TENANT, "Two", perMinute(2), null, true, List.of()))
                .put(pizzaApi(backend.url("/prod"), null, "Two", List.of()));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        assertThat(get("/pizzashack/1.0.0/public", null).statusCode()).isEqualTo(200);
        HttpResponse<String> r = get("/pizzashack/1.0.0/orders/5", prodToken());
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(code(r)).isEqualTo("900800");
    }

    @Test
    void a_resource_policy_counts_per_resource_and_answers_900802() throws Exception {
        lookup.put(new Policy(Policy.Level.API, TENANT, "One", perMinute(1), null, true, List.of()))
                .put(pizzaApi(backend.url("/prod"), null, null,
                        List.of(new Api.Resource("GET", "/limited", true, "One", List.of()))));
        assertThat(get("/pizzashack/1.0.0/limited", prodToken()).statusCode()).isEqualTo(200);
        assertThat(code(get("/pizzashack/1.0.0/limited", prodToken()))).isEqualTo("900802");
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void a_matching_conditional_group_replaces_the_default_limit_with_its_own_counter() throws Exception {
        Policy.ConditionalGroup header = new Policy.ConditionalGroup("partners",
                List.of(Map.of("type", "HEADERCONDITION", "invertCondition", false,
                        "headerCondition", Map.of("headerName", "x-partner", "headerValue", "acme"))),
                perMinute(1));
        Policy.ConditionalGroup claim = new Policy.ConditionalGroup("bob",
                List.of(Map.of("type", "JWTCLAIMSCONDITION",
                        "jwtClaimsCondition", Map.of("claimUrl", "http://wso2.org/claims/enduser", "attribute", "^bob@"))),
                perMinute(100));
        lookup.put(new Policy(Policy.Level.API, TENANT, "Cond", perMinute(1000), null, true, List.of(header, claim)))
                .put(pizzaApi(backend.url("/prod"), null, "Cond", List.of()));
        HttpRequest.Builder acme = HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/menu"))
                .header("x-partner", "acme");
        assertThat(send(acme, prodToken()).statusCode()).isEqualTo(200);
        HttpResponse<String> second = send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/menu"))
                .header("x-partner", "acme"), prodToken());
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(code(second)).isEqualTo("900800");
        // without the header: the default limit, on another counter
        HttpResponse<String> plain = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("x-ratelimit-limit")).hasValue("1000");
        String bob = km.token(PROD_KEY, dev.apim.domain.keys.KeyType.PRODUCTION, "bob@carbon.super", List.of());
        assertThat(get("/pizzashack/1.0.0/menu", bob).headers().firstValue("x-ratelimit-limit")).hasValue("100");
        assertThat(throttler.calls).extracting(c -> c.get(0).key())
                .containsExactly("api:carbon.super:api-pizza:g0", "api:carbon.super:api-pizza:g0",
                        "api:carbon.super:api-pizza", "api:carbon.super:api-pizza:g1");
    }

    @Test
    void all_applicable_counters_go_to_the_throttler_in_one_call() throws Exception {
        lookup.put(new Policy(Policy.Level.APPLICATION, TENANT, "App", perMinute(50), null, true, List.of()))
                .put(new Policy(Policy.Level.SUBSCRIPTION, TENANT, "Sub", perMinute(40),
                        new Policy.Limit(Policy.Limit.Type.REQUEST_COUNT, 10, Duration.ofSeconds(1)), true, List.of()))
                .put(new Policy(Policy.Level.API, TENANT, "Api", perMinute(30), null, true, List.of()))
                .put(new Application(APP_ID, TENANT, "App1", "alice", "App"))
                .put(new Subscription("sub-1", API_ID, APP_ID, TENANT, "Sub", "UNBLOCKED"))
                .put(pizzaApi(backend.url("/prod"), null, "Api", List.of()));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(throttler.calls).hasSize(1);
        assertThat(throttler.calls.get(0)).extracting(ThrottleCounter::key, ThrottleCounter::limit, ThrottleCounter::level)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("app:carbon.super:app-1:" + USER, 50L, ThrottleCounter.Level.APPLICATION),
                        org.assertj.core.groups.Tuple.tuple("sub:carbon.super:app-1:api-pizza", 40L, ThrottleCounter.Level.SUBSCRIPTION),
                        org.assertj.core.groups.Tuple.tuple("burst:carbon.super:app-1:api-pizza", 10L, ThrottleCounter.Level.BURST),
                        org.assertj.core.groups.Tuple.tuple("api:carbon.super:api-pizza", 30L, ThrottleCounter.Level.API));
        assertThat(r.headers().firstValue("x-ratelimit-limit")).hasValue("10");
    }

    @Test
    void a_failing_throttler_lets_the_call_through_and_counts_it() throws Exception {
        edge.close();
        lookup.put(new Policy(Policy.Level.API, TENANT, "Api", perMinute(30), null, true, List.of()))
                .put(pizzaApi(backend.url("/prod"), null, "Api", List.of()));
        edge = new GatewayEdge(properties(), lookup, counters -> reactor.core.publisher.Mono.error(
                new IllegalStateException("redis down")), registry, java.time.Clock.systemUTC(),
                reactor.netty.http.client.HttpClient.create(), null);
        edge.server().start();
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        assertThat(registry.counter("apim.gateway.throttle.errors").count()).isEqualTo(1.0);
    }
}
