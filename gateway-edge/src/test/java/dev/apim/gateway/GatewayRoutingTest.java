package dev.apim.gateway;

import dev.apim.gateway.model.Api;
import dev.apim.gateway.model.BlockCondition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayRoutingTest extends GatewayTestBase {

    @Test
    void a_literal_resource_is_proxied_to_the_backend_path_after_the_context_with_the_query() throws Exception {
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu?size=large&x=%20y", prodToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /prod/menu?size=large&x=%20y\n");
    }

    @Test
    void path_parameters_match_one_segment_and_the_most_specific_template_wins() throws Exception {
        assertThat(get("/pizzashack/1.0.0/orders/42", prodToken()).body()).startsWith("GET /prod/orders/42\n");
        assertThat(get("/pizzashack/1.0.0/orders/42/items/7", prodToken()).body())
                .startsWith("GET /prod/orders/42/items/7\n");
        // /orders/latest (literal) is more specific than /orders/{orderId}: both proxy, the literal one is chosen
        assertThat(edgeResource("/pizzashack/1.0.0/orders/latest")).isEqualTo("/orders/latest");
        assertThat(edgeResource("/pizzashack/1.0.0/orders/41")).isEqualTo("/orders/{orderId}");
        assertThat(get("/pizzashack/1.0.0/orders/42/items", prodToken()).statusCode()).isEqualTo(404);
    }

    @Test
    void a_trailing_wildcard_matches_any_depth() throws Exception {
        assertThat(get("/pizzashack/1.0.0/files/a/b/c.txt", prodToken()).body())
                .startsWith("GET /prod/files/a/b/c.txt\n");
        assertThat(get("/pizzashack/1.0.0/files", prodToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void the_default_version_is_served_without_the_version_segment() throws Exception {
        HttpResponse<String> r = get("/pizzashack/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("GET /prod/menu\n");
    }

    @Test
    void no_default_version_means_no_unversioned_route() throws Exception {
        Api api = pizzaApi(backend.url("/prod"), null, null, List.of());
        lookup.put(new Api(api.apiId(), api.tenant(), api.name(), api.context(), api.version(), false,
                api.lifecycleStatus(), api.revisionId(), null, api.productionUrl(), null, api.resources()));
        HttpResponse<String> r = get("/pizzashack/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"code\":\"404\",\"type\":\"Status report\",\"message\":\"Runtime Error\","
                + "\"description\":\"No matching resource found for given API Request\"}");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void an_unknown_context_or_resource_is_404_and_a_known_path_with_another_verb_is_405() throws Exception {
        assertThat(get("/nope/1.0.0/menu", prodToken()).statusCode()).isEqualTo(404);
        assertThat(get("/pizzashack/1.0.0/drinks", prodToken()).statusCode()).isEqualTo(404);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/menu"))
                .DELETE(), prodToken());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(code(r)).isEqualTo("405");
        assertThat(r.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void a_blocked_api_answers_503_700700() throws Exception {
        Api api = pizzaApi(backend.url("/prod"), null, null, List.of());
        lookup.put(new Api(api.apiId(), api.tenant(), api.name(), api.context(), api.version(), true, "BLOCKED",
                api.revisionId(), null, api.productionUrl(), null, api.resources()));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(code(r)).isEqualTo("700700");
        assertThat(r.body()).contains("\"message\":\"API blocked\"");
    }

    @Test
    void routes_follow_the_state_without_restart() throws Exception {
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
        lookup.remove(API_ID);
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(404);
    }

    // ---- block conditions

    @Test
    void an_api_context_block_condition_answers_403_900805() throws Exception {
        lookup.block(new BlockCondition("b1", TENANT, "API", "/pizzashack/1.0.0", false));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(code(r)).isEqualTo("900805");
        assertThat(r.body()).contains("Message blocked");
        // the default-version route is the same API
        assertThat(get("/pizzashack/menu", prodToken()).statusCode()).isEqualTo(403);
    }

    @Test
    void an_ip_block_condition_blocks_that_address_only() throws Exception {
        lookup.block(new BlockCondition("b1", TENANT, "IP", "10.1.2.3", false));
        assertThat(getFrom("10.1.2.3").statusCode()).isEqualTo(403);
        assertThat(getFrom("10.1.2.4").statusCode()).isEqualTo(200);
        lookup.block(new BlockCondition("b2", TENANT, "IP", "127.0.0.1", false));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(403);
    }

    @Test
    void an_ip_range_block_condition_blocks_inside_the_range_or_outside_when_inverted() throws Exception {
        lookup.block(new BlockCondition("b1", TENANT, "IPRANGE", "10.0.0.10-10.0.0.20", false));
        assertThat(getFrom("10.0.0.15").statusCode()).isEqualTo(403);
        assertThat(getFrom("10.0.0.21").statusCode()).isEqualTo(200);
        lookup.block(new BlockCondition("b2", TENANT, "IPRANGE", "192.168.0.0-192.168.255.255", true));
        assertThat(getFrom("192.168.4.4").statusCode()).isEqualTo(200);
        assertThat(getFrom("10.0.0.21").statusCode()).isEqualTo(403);
        assertThat(code(getFrom("10.0.0.21"))).isEqualTo("900805");
    }

    @Test
    void an_application_block_condition_blocks_its_tokens() throws Exception {
        lookup.block(new BlockCondition("b1", TENANT, "APPLICATION", "alice:App1", false));
        HttpResponse<String> r = get("/pizzashack/1.0.0/menu", prodToken());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(code(r)).isEqualTo("900805");
        // an unsecured resource has no application to block
        assertThat(get("/pizzashack/1.0.0/public", null).statusCode()).isEqualTo(200);
    }

    @Test
    void a_user_block_condition_blocks_the_token_subject_with_or_without_tenant_domain() throws Exception {
        lookup.block(new BlockCondition("b1", TENANT, "USER", "alice", false));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(403);
        String bob = km.token(PROD_KEY, dev.apim.domain.keys.KeyType.PRODUCTION, "bob@carbon.super", List.of());
        assertThat(get("/pizzashack/1.0.0/menu", bob).statusCode()).isEqualTo(200);
        lookup.block(new BlockCondition("b2", TENANT, "USER", "bob@carbon.super", false));
        assertThat(get("/pizzashack/1.0.0/menu", bob).statusCode()).isEqualTo(403);
    }

    @Test
    void block_conditions_of_another_tenant_do_not_apply() throws Exception {
        lookup.block(new BlockCondition("b1", "other.com", "API", "/pizzashack/1.0.0", false));
        assertThat(get("/pizzashack/1.0.0/menu", prodToken()).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> getFrom(String address) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/pizzashack/1.0.0/menu")).GET()
                .header("X-Forwarded-For", address), prodToken());
    }

    private String edgeResource(String path) throws Exception {
        int before = edge.analytics().size();
        assertThat(get(path, prodToken()).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().until(() -> edge.analytics().size() > before);
        List<dev.apim.gateway.analytics.AnalyticsEvent> events = edge.analytics().drain(1000);
        return events.get(events.size() - 1).resourceTemplate();
    }
}
