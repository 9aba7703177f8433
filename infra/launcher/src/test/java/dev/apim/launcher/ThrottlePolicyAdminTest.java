package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin v4 throttling policies end to end: defaults, CRUD per level, validation, duplicates, in-use and Unlimited. */
class ThrottlePolicyAdminTest extends LauncherTestBase {

    static final String POLICIES = "/api/am/admin/v4/throttling/policies";

    // ---- bodies ----

    static Map<String, Object> requestCount(long count, String unit) {
        return Map.of("type", "REQUESTCOUNTLIMIT",
                "requestCount", Map.of("timeUnit", unit, "unitTime", 1, "requestCount", count));
    }

    static Map<String, Object> applicationBody(String name, long perMin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("policyName", name);
        body.put("displayName", name + " display");
        body.put("description", "Allows " + perMin + " per minute");
        body.put("defaultLimit", requestCount(perMin, "min"));
        return body;
    }

    static Map<String, Object> subscriptionBody(String name, long perMin) {
        Map<String, Object> body = applicationBody(name, perMin);
        body.put("rateLimitCount", 10);
        body.put("rateLimitTimeUnit", "sec");
        body.put("stopOnQuotaReach", true);
        body.put("billingPlan", "COMMERCIAL");
        body.put("customAttributes", List.of(Map.of("name", "tier", "value", "premium")));
        body.put("requiresApproval", true);
        body.put("monetization", Map.of("monetizationPlan", "FIXEDRATE"));
        return body;
    }

    static Map<String, Object> advancedBody(String name, long perMin) {
        Map<String, Object> body = applicationBody(name, perMin);
        body.put("conditionalGroups", List.of(Map.of("description", "office",
                "conditions", List.of(
                        Map.of("type", "IPCONDITION", "invertCondition", false, "ipCondition",
                                Map.of("ipConditionType", "IPRANGE", "startingIP", "10.0.0.1", "endingIP", "10.0.0.200")),
                        Map.of("type", "HEADERCONDITION", "invertCondition", true, "headerCondition",
                                Map.of("headerName", "X-Tier", "headerValue", "gold"))),
                "limit", Map.of("type", "BANDWIDTHLIMIT", "bandwidth",
                        Map.of("timeUnit", "hour", "unitTime", 1, "dataAmount", 5, "dataUnit", "MB")))));
        return body;
    }

    // ---- helpers ----

    EntityExchangeResult<byte[]> create(String level, Map<String, Object> body) {
        return client.post().uri(POLICIES + "/" + level).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isCreated().expectBody().returnResult();
    }

    JsonNode list(String level) {
        return tree(client.get().uri(POLICIES + "/" + level).exchange().expectStatus().isOk().expectBody().returnResult());
    }

    JsonNode byName(String level, String name) {
        for (JsonNode p : list(level).get("list")) {
            if (name.equals(text(p, "policyName"))) {
                return p;
            }
        }
        return null;
    }

    JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    Supplier<WebTestClient.ResponseSpec> post(String level, Object body) {
        return () -> client.post().uri(POLICIES + "/" + level).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body instanceof String s ? s : json(body)).exchange();
    }

    // ---- defaults ----

    @Test
    void wso2DefaultPoliciesExistFromFirstStart() {
        Map<String, Long> application = Map.of("10PerMin", 10L, "20PerMin", 20L, "50PerMin", 50L,
                "Unlimited", (long) Integer.MAX_VALUE);
        Map<String, Long> subscription = Map.of("Gold", 5000L, "Silver", 2000L, "Bronze", 1000L,
                "Unauthenticated", 500L, "Unlimited", (long) Integer.MAX_VALUE);
        Map<String, Long> advanced = Map.of("10KPerMin", 10000L, "20KPerMin", 20000L, "50KPerMin", 50000L,
                "Unlimited", (long) Integer.MAX_VALUE);
        for (var level : Map.of("application", application, "subscription", subscription, "advanced", advanced)
                .entrySet()) {
            JsonNode list = list(level.getKey());
            assertThat(list.get("count").asInt()).isEqualTo(list.get("list").size());
            for (var expected : level.getValue().entrySet()) {
                JsonNode policy = byName(level.getKey(), expected.getKey());
                assertThat(policy).as("%s policy %s", level.getKey(), expected.getKey()).isNotNull();
                JsonNode limit = policy.get("defaultLimit");
                assertThat(text(limit, "type")).isEqualTo("REQUESTCOUNTLIMIT");
                assertThat(limit.get("requestCount").get("requestCount").asLong()).isEqualTo(expected.getValue());
                assertThat(text(limit.get("requestCount"), "timeUnit")).isEqualTo("min");
                assertThat(limit.get("requestCount").get("unitTime").asInt()).isEqualTo(1);
            }
        }
        assertThat(queryLong("SELECT count(*) FROM event_store.throttle_policy_claim WHERE tenant = 'carbon.super'"))
                .isGreaterThanOrEqualTo(13);
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = "
                + "'dev.apim.domain.policy.event.ThrottlePolicyCreated' AND meta_data::jsonb->>'principal' = 'system'"))
                .isEqualTo(13);
    }

    // ---- CRUD per level ----

    @Test
    void applicationPolicyCrud() {
        crud("application", applicationBody("App" + unique(), 15));
    }

    @Test
    void subscriptionPolicyCrud() {
        String name = "Sub" + unique();
        JsonNode created = crud("subscription", subscriptionBody(name, 300));
        assertThat(created.get("rateLimitCount").asInt()).isEqualTo(10);
        assertThat(text(created, "billingPlan")).isEqualTo("COMMERCIAL");
        assertThat(created.get("requiresApproval").asBoolean()).isTrue();
        assertThat(created.get("customAttributes").get(0).get("value").asString()).isEqualTo("premium");
    }

    @Test
    void advancedPolicyCrud() {
        JsonNode created = crud("advanced", advancedBody("Adv" + unique(), 1000));
        JsonNode group = created.get("conditionalGroups").get(0);
        assertThat(text(group.get("conditions").get(0).get("ipCondition"), "startingIP")).isEqualTo("10.0.0.1");
        assertThat(text(group.get("limit"), "type")).isEqualTo("BANDWIDTHLIMIT");
    }

    /** Create, read, list, update (with If-Match), delete; returns the created policy as read back. */
    JsonNode crud(String level, Map<String, Object> body) {
        String name = (String) body.get("policyName");
        var created = create(level, body);
        JsonNode policy = tree(created);
        String id = text(policy, "policyId");
        assertThat(text(policy, "policyName")).isEqualTo(name);
        assertThat(created.getResponseHeaders().getLocation()).hasToString(POLICIES + "/" + level + "/" + id);
        assertThat(etag(created)).isEqualTo("\"0\"");

        var read = client.get().uri(POLICIES + "/" + level + "/{id}", id).exchange().expectStatus().isOk()
                .expectBody().returnResult();
        JsonNode readBack = tree(read);
        assertThat(etag(read)).isEqualTo("\"0\"");
        assertThat(text(readBack, "displayName")).isEqualTo(name + " display");
        assertThat(byName(level, name)).isNotNull();

        Map<String, Object> changed = new LinkedHashMap<>(body);
        changed.put("description", "changed");
        changed.put("defaultLimit", requestCount(77, "hour"));
        refused(412, 412L, () -> client.put().uri(POLICIES + "/" + level + "/{id}", id)
                .header(HttpHeaders.IF_MATCH, "\"5\"").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(changed)).exchange());
        client.put().uri(POLICIES + "/" + level + "/{id}", id).header(HttpHeaders.IF_MATCH, "\"0\"")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(changed)).exchange()
                .expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ETAG, "\"1\"");
        JsonNode updated = tree(client.get().uri(POLICIES + "/" + level + "/{id}", id).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(updated, "description")).isEqualTo("changed");
        assertThat(updated.get("defaultLimit").get("requestCount").get("requestCount").asLong()).isEqualTo(77);

        client.delete().uri(POLICIES + "/" + level + "/{id}", id).exchange().expectStatus().isOk();
        refused(404, 900961L, () -> client.get().uri(POLICIES + "/" + level + "/{id}", id).exchange());
        refused(404, 900961L, () -> client.delete().uri(POLICIES + "/" + level + "/{id}", id).exchange());
        assertThat(byName(level, name)).isNull();
        // the name is free again
        create(level, body);
        return readBack;
    }

    // ---- validation ----

    @Test
    void invalidPoliciesAreRefusedWithWso2ErrorsAndNoEvent() {
        String name = "Bad" + unique();
        refused(400, 400L, post("application", "{\"policyName\":\"" + name + "\",\"colour\":\"red\"}"));
        refused(400, 400L, post("application", "{\"policyName\":"));
        refused(400, 400L, post("application", "{\"policyName\":\"" + name + "\",\"defaultLimit\":{\"type\":"
                + "\"REQUESTCOUNTLIMIT\",\"requestCount\":{\"timeUnit\":\"min\",\"unitTime\":1,\"requestCount\":\"x\"}}}"));

        Map<String, Object> noName = applicationBody(name, 5);
        noName.remove("policyName");
        refused(400, 900400L, post("application", noName));
        refused(400, 900400L, post("application", applicationBody("bad name!", 5)));
        refused(400, 900400L, post("application", applicationBody("x".repeat(61), 5)));
        refused(400, 900400L, post("application", applicationBody(name, 0)));

        Map<String, Object> badUnit = applicationBody(name, 5);
        badUnit.put("defaultLimit", requestCount(5, "fortnight"));
        refused(400, 900400L, post("application", badUnit));

        Map<String, Object> noLimit = applicationBody(name, 5);
        noLimit.remove("defaultLimit");
        refused(400, 900400L, post("application", noLimit));

        Map<String, Object> eventCount = applicationBody(name, 5);
        eventCount.put("defaultLimit", Map.of("type", "EVENTCOUNTLIMIT"));
        refused(400, 900960L, post("application", eventCount));

        Map<String, Object> badData = applicationBody(name, 5);
        badData.put("defaultLimit", Map.of("type", "BANDWIDTHLIMIT", "bandwidth",
                Map.of("timeUnit", "min", "unitTime", 1, "dataAmount", 1, "dataUnit", "TB")));
        refused(400, 900400L, post("application", badData));

        Map<String, Object> burst = subscriptionBody(name, 5);
        burst.put("rateLimitTimeUnit", "hour");
        refused(400, 900400L, post("subscription", burst));
        Map<String, Object> plan = subscriptionBody(name, 5);
        plan.put("billingPlan", "GOLDPLATED");
        refused(400, 900400L, post("subscription", plan));

        refused(400, 900975L, post("advanced", withCondition(name, Map.of("type", "COOKIECONDITION"))));
        refused(400, 900400L, post("advanced", withCondition(name, Map.of("type", "IPCONDITION", "ipCondition",
                Map.of("ipConditionType", "IPSPECIFIC", "specificIP", "backend.example.com")))));
        refused(400, 900400L, post("advanced", withCondition(name, Map.of("type", "IPCONDITION", "ipCondition",
                Map.of("ipConditionType", "IPRANGE", "startingIP", "10.0.0.9", "endingIP", "10.0.0.1")))));
        refused(400, 900400L, post("advanced", withCondition(name, Map.of("type", "HEADERCONDITION"))));

        refused(404, 900961L, () -> client.get().uri(POLICIES + "/application/{id}", "no-such-policy").exchange());
        refused(404, 900961L, () -> client.put().uri(POLICIES + "/application/{id}",
                "00000000-0000-0000-0000-000000000000").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(applicationBody(name, 5))).exchange());
        assertThat(queryLong("SELECT count(*) FROM event_store.throttle_policy_claim WHERE name = ?", name)).isZero();
    }

    static Map<String, Object> withCondition(String name, Map<String, Object> condition) {
        Map<String, Object> body = applicationBody(name, 5);
        body.put("conditionalGroups", List.of(Map.of("conditions", List.of(condition), "limit", requestCount(1, "min"))));
        return body;
    }

    @Test
    void theNameCannotChangeAndAPolicyIsOnlyFoundAtItsOwnLevel() {
        String name = "Fixed" + unique();
        String id = text(tree(create("application", applicationBody(name, 5))), "policyId");
        refused(400, 900400L, () -> client.put().uri(POLICIES + "/application/{id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(applicationBody(name + "x", 5))).exchange());
        refused(404, 900961L, () -> client.get().uri(POLICIES + "/subscription/{id}", id).exchange());
        refused(404, 900961L, () -> client.delete().uri(POLICIES + "/advanced/{id}", id).exchange());
    }

    @Test
    void aDuplicateNameInALevelIsAConflict() {
        String name = "Dup" + unique();
        create("subscription", subscriptionBody(name, 5));
        refused(409, 900300L, post("subscription", subscriptionBody(name.toUpperCase(), 9)));
        refused(409, 900300L, post("subscription", subscriptionBody("Gold", 9)));
        // the same name at another level is another policy
        create("application", applicationBody(name, 5));
    }

    // ---- deletion rules ----

    @Test
    void aPolicyUsedByAnApiCannotBeDeleted() {
        String tier = "Tier" + unique();
        String advanced = "ApiLimit" + unique();
        String tierId = text(tree(create("subscription", subscriptionBody(tier, 50))), "policyId");
        String advancedId = text(tree(create("advanced", applicationBody(advanced, 500))), "policyId");

        String suffix = unique();
        Map<String, Object> api = apiBody("Uses-" + suffix, "/uses-" + suffix, "1.0.0");
        api.put("policies", List.of(tier));
        api.put("apiThrottlingPolicy", advanced);
        String apiId = text(tree(createApi(api)), "id");

        JsonNode error = refused(409, 900300L, () -> client.delete().uri(POLICIES + "/subscription/{id}", tierId).exchange());
        assertThat(text(error, "description")).contains("Uses-" + suffix);
        refused(409, 900300L, () -> client.delete().uri(POLICIES + "/advanced/{id}", advancedId).exchange());

        client.delete().uri(PUBLISHER + "/apis/{id}", apiId).exchange().expectStatus().isOk();
        client.delete().uri(POLICIES + "/subscription/{id}", tierId).exchange().expectStatus().isOk();
        client.delete().uri(POLICIES + "/advanced/{id}", advancedId).exchange().expectStatus().isOk();
    }

    @Test
    void unlimitedCannotBeDeletedAtAnyLevel() {
        for (String level : List.of("application", "subscription", "advanced")) {
            String id = text(byName(level, "Unlimited"), "policyId");
            refused(409, 900300L, () -> client.delete().uri(POLICIES + "/" + level + "/{id}", id).exchange());
            assertThat(byName(level, "Unlimited")).isNotNull();
        }
    }

    @Test
    void anonymousCallersAreUnauthenticated() {
        List<Long> codes = new ArrayList<>();
        for (String level : List.of("application", "subscription", "advanced")) {
            byte[] body = anonymous.get().uri(POLICIES + "/" + level).exchange().expectStatus().isUnauthorized()
                    .expectBody().returnResult().getResponseBody();
            codes.add(assertWso2Error(body, null).get("code").asLong());
        }
        assertThat(codes).containsOnly(900902L);
    }
}
