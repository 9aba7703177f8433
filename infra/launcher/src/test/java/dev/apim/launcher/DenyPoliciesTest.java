package dev.apim.launcher;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Admin v4 deny policies over HTTP: each condition type, refusals that write nothing, status, deletion, roles. */
class DenyPoliciesTest extends LauncherTestBase {

    static final String ADMIN_API = "/api/am/admin/v4";
    static final String CREATED = "dev.apim.domain.blockcondition.event.BlockConditionCreated";

    @Autowired
    CommandGateway commandGateway;

    private static Map<String, Object> condition(String type, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conditionType", type);
        body.put("conditionValue", value);
        body.put("conditionStatus", true);
        return body;
    }

    private JsonNode create(Map<String, Object> body) {
        return tree(client.post().uri(ADMIN_API + "/throttling/deny-policies")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body))
                .exchange().expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody().returnResult());
    }

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private JsonNode refusedCreate(int status, Long code, Map<String, Object> body) {
        return refused(status, code, () -> client.post().uri(ADMIN_API + "/throttling/deny-policies")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange());
    }

    @Test
    void apiConditionNamesAnExistingContext() {
        String suffix = unique();
        createApi(apiBody("Deny-" + suffix, "/deny-" + suffix, "1.0.0"));

        JsonNode withVersion = create(condition("API", "/deny-" + suffix + "/1.0.0"));
        assertThat(text(withVersion, "conditionType")).isEqualTo("API");
        assertThat(text(withVersion, "conditionValue")).isEqualTo("/deny-" + suffix + "/1.0.0");
        assertThat(withVersion.get("conditionStatus").asBoolean()).isTrue();
        create(condition("API", "/deny-" + suffix));

        refusedCreate(400, 900975L, condition("API", "/nothing-" + suffix + "/1.0.0"));
        refusedCreate(400, 900975L, condition("API", "no-slash"));
        refusedCreate(400, 900975L, condition("API", Map.of("fixedIp", "1.2.3.4")));
    }

    @Test
    void applicationConditionIsOwnerColonNameOfAnExistingApplication() {
        String name = "App" + unique();
        client.post().uri("/api/am/devportal/v3/applications").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("name", name, "throttlingPolicy", "Unlimited")))
                .exchange().expectStatus().isCreated();
        JsonNode created = create(condition("APPLICATION", "admin:" + name));
        assertThat(text(created, "conditionValue")).isEqualTo("admin:" + name);
        refusedCreate(400, 900975L, condition("APPLICATION", "admin:NoSuchApp" + unique()));
        refusedCreate(400, 900975L, condition("APPLICATION", "no-colon"));
        refusedCreate(400, 900975L, condition("APPLICATION", "admin:"));
        refusedCreate(400, 900975L, condition("APPLICATION", "admin:<b>"));
    }

    @Test
    void userCondition() {
        create(condition("USER", "blocked-" + unique()));
        refusedCreate(400, 900975L, condition("USER", "two words"));
        refusedCreate(400, 900975L, condition("USER", " "));
        refusedCreate(400, 900975L, condition("USER", 42));
    }

    @Test
    void ipConditionIsALiteralAddressInCanonicalForm() {
        int n = (int) (Math.random() * 250) + 1;
        JsonNode created = create(condition("IP", Map.of("fixedIp", "2001:DB8:0:0:0:0:" + Integer.toHexString(n)
                + ":1", "invert", false)));
        JsonNode value = created.get("conditionValue");
        assertThat(text(value, "fixedIp")).isEqualTo("2001:db8::" + Integer.toHexString(n) + ":1");
        assertThat(value.get("invert").asBoolean()).isFalse();

        refusedCreate(400, 900975L, condition("IP", Map.of("fixedIp", "localhost")));
        refusedCreate(400, 900975L, condition("IP", Map.of("fixedIp", "300.1.1.1")));
        refusedCreate(400, 900975L, condition("IP", Map.of("fixedIp", "10.0.0.1", "port", 80)));
        refusedCreate(400, 900975L, condition("IP", "10.0.0.1"));
    }

    @Test
    void ipRangeRunsUpwardsInOneFamily() {
        int n = (int) (Math.random() * 250) + 1;
        JsonNode created = create(condition("IPRANGE", Map.of("startingIp", "10.1." + n + ".0",
                "endingIp", "10.1." + n + ".255", "invert", true)));
        assertThat(text(created.get("conditionValue"), "endingIp")).isEqualTo("10.1." + n + ".255");
        assertThat(created.get("conditionValue").get("invert").asBoolean()).isTrue();
        // an inverted range blocks every caller outside it (127.0.0.1 included): gateways of later tests share this
        // database, so it must not stay in force
        client.delete().uri(ADMIN_API + "/throttling/deny-policy/{id}", text(created, "conditionId")).exchange()
                .expectStatus().isOk();

        refusedCreate(400, 900975L, condition("IPRANGE", Map.of("startingIp", "10.1.0.9", "endingIp", "10.1.0.1")));
        refusedCreate(400, 900975L, condition("IPRANGE", Map.of("startingIp", "10.1.0.1", "endingIp", "::1")));
        refusedCreate(400, 900975L, condition("IPRANGE", Map.of("startingIp", "10.1.0.1")));
    }

    @Test
    void unknownTypeAndUnknownFieldsAreRefused() {
        refusedCreate(400, 900975L, condition("COUNTRY", "LK"));
        Map<String, Object> extra = condition("USER", "someone");
        extra.put("surprise", true);
        refusedCreate(400, null, extra);
    }

    @Test
    void theSameConditionTwiceIsAConflict() {
        String user = "dup-" + unique();
        create(condition("USER", user));
        refusedCreate(409, 900979L, condition("USER", user.toUpperCase()));
    }

    @Test
    void conditionsCanBeDisabledEnabledListedAndDeleted() {
        String user = "toggle-" + unique();
        String id = text(create(condition("USER", user)), "conditionId");

        JsonNode disabled = tree(client.patch().uri(ADMIN_API + "/throttling/deny-policy/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("conditionId", id, "conditionStatus", false)))
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(disabled.get("conditionStatus").asBoolean()).isFalse();
        JsonNode read = tree(client.get().uri(ADMIN_API + "/throttling/deny-policy/{id}", id)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(read.get("conditionStatus").asBoolean()).isFalse();
        assertThat(text(read, "conditionValue")).isEqualTo(user);

        client.patch().uri(ADMIN_API + "/throttling/deny-policy/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("conditionStatus", true)))
                .exchange().expectStatus().isOk();
        JsonNode list = tree(client.get().uri(ADMIN_API + "/throttling/deny-policies?query=conditionType:USER")
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(list.get("count").asInt()).isEqualTo(list.get("list").size());
        List<String> ids = list.get("list").valueStream().map(n -> text(n, "conditionId")).toList();
        assertThat(ids).contains(id);
        assertThat(list.get("list").valueStream().filter(n -> id.equals(text(n, "conditionId")))
                .findFirst().orElseThrow().get("conditionStatus").asBoolean()).isTrue();

        refused(400, 400L, () -> client.patch().uri(ADMIN_API + "/throttling/deny-policy/{id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(Map.of("conditionId", id))).exchange());

        client.delete().uri(ADMIN_API + "/throttling/deny-policy/{id}", id).exchange().expectStatus().isOk();
        refused(404, 900967L, () -> client.get().uri(ADMIN_API + "/throttling/deny-policy/{id}", id).exchange());
        refused(404, 900967L, () -> client.delete().uri(ADMIN_API + "/throttling/deny-policy/{id}", id).exchange());
        refused(404, 900967L, () -> client.patch().uri(ADMIN_API + "/throttling/deny-policy/{id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(Map.of("conditionStatus", false))).exchange());
        // the value is free again once deleted
        create(condition("USER", user));
    }

    @Test
    void unknownConditionIdsAreNotFound() {
        refused(404, 900967L, () -> client.delete().uri(ADMIN_API + "/throttling/deny-policy/{id}",
                "00000000-0000-0000-0000-000000000000").exchange());
        refused(404, 900967L, () -> client.delete().uri(ADMIN_API + "/throttling/deny-policy/not-an-id").exchange());
    }

    @Test
    void onlyAdminsManageDenyPolicies() {
        String name = TestUsers.register(commandGateway, "nonadmin-" + unique(), "subscriber");
        WebTestClient user = as(name, TestUsers.PASSWORD);
        long created = queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ?", CREATED);
        // a subscriber holds neither apim:admin nor apim:bl_manage / apim:bl_view: WSO2's insufficient-scope answer
        refused(403, 900910L, () -> user.post().uri(ADMIN_API + "/throttling/deny-policies")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(condition("USER", "x" + unique()))).exchange());
        refused(403, 900910L, () -> user.get().uri(ADMIN_API + "/throttling/deny-policies").exchange());
        assertThat(queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ?", CREATED)).isEqualTo(created);
        anonymous.get().uri(ADMIN_API + "/throttling/deny-policies").exchange().expectStatus().isUnauthorized();
    }
}
