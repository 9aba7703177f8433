package dev.apim.launcher;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters in the running application, over Admin REST: the {@code apimgtdb} projection fails on one
 * application policy (its read-model table refuses the name, a trigger: the "cause"), the event is parked and
 * listed while the processor goes on; a retry with the cause in place counts an attempt, a retry after it is
 * removed puts the policy into the read model; a discard removes a letter. Bad input gets WSO2's error bodies.
 */
class DeadLetterTest extends LauncherTestBase {

    static final String DEAD_LETTERS = "/api/am/admin/v4/dead-letters";
    static final String POLICY_CREATED = "dev.apim.domain.policy.event.ThrottlePolicyCreated";

    @Autowired
    CommandGateway commands;

    @Test
    void aPoisonEventIsListedRetriedAndDiscardedWhileTheProjectionGoesOn() throws Exception {
        String suffix = unique();
        String poisoned = "DlqPoison" + suffix;
        String discarded = "DlqDiscard" + suffix;
        String healthy = "DlqHealthy" + suffix;
        String trigger = "refuse_" + suffix.replaceAll("[^A-Za-z0-9]", "");
        execute("CREATE FUNCTION apimgtdb." + trigger + "() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.name IN ('" + poisoned + "', '" + discarded + "') THEN "
                + "RAISE EXCEPTION 'policy % refused by the read model', NEW.name; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER " + trigger + " BEFORE INSERT OR UPDATE ON apimgtdb.throttle_policy "
                        + "FOR EACH ROW EXECUTE FUNCTION apimgtdb." + trigger + "()");
        try {
            String poisonedId = createPolicy(poisoned);
            String discardedId = createPolicy(discarded);
            String healthyId = createPolicy(healthy);

            // the processor went on past the poison events
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> client.get()
                    .uri(ThrottlePolicyAdminTest.POLICIES + "/application/{id}", healthyId).exchange().expectStatus().isOk());
            JsonNode poison = await().atMost(Duration.ofSeconds(20)).until(() -> letterOf(poisonedId), l -> l != null);
            assertThat(text(poison, "processingGroup")).isEqualTo("apimgtdb");
            assertThat(text(poison, "eventType")).isEqualTo(POLICY_CREATED);
            assertThat(text(poison, "sequenceId")).isEqualTo(poisonedId);
            assertThat(text(poison, "cause")).contains("policy " + poisoned + " refused by the read model");
            assertThat(poison.get("attempts").asLong()).isEqualTo(1);
            assertThat(poison.get("globalIndex").asLong()).isEqualTo(queryLong("SELECT global_index FROM " + EVENTS
                    + " WHERE aggregate_identifier = ? AND sequence_number = 0", poisonedId));
            assertThat(text(poison, "enqueuedAt")).isNotBlank();
            client.get().uri(ThrottlePolicyAdminTest.POLICIES + "/application/{id}", poisonedId).exchange()
                    .expectStatus().isNotFound();

            // retry while the cause is there: still parked, one more attempt
            JsonNode failed = retry(text(poison, "id"));
            assertThat(failed.get("resolved").asBoolean()).isFalse();
            assertThat(failed.at("/deadLetter/attempts").asLong()).isEqualTo(2);

            // discard the other one: gone, and a second discard is a 404
            JsonNode discardedLetter = await().atMost(Duration.ofSeconds(20))
                    .until(() -> letterOf(discardedId), l -> l != null);
            client.delete().uri(DEAD_LETTERS + "/{id}", text(discardedLetter, "id")).exchange().expectStatus().isOk();
            assertThat(letterOf(discardedId)).isNull();
            assertWso2Error(client.delete().uri(DEAD_LETTERS + "/{id}", text(discardedLetter, "id")).exchange()
                    .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 404L);

            // the cause removed, a retry puts the policy into the read model
            execute("DROP TRIGGER " + trigger + " ON apimgtdb.throttle_policy");
            JsonNode resolved = retry(text(poison, "id"));
            assertThat(resolved.get("resolved").asBoolean()).isTrue();
            assertThat(letterOf(poisonedId)).isNull();
            JsonNode policy = tree(client.get().uri(ThrottlePolicyAdminTest.POLICIES + "/application/{id}", poisonedId)
                    .exchange().expectStatus().isOk().expectBody().returnResult());
            assertThat(text(policy, "policyName")).isEqualTo(poisoned);
        } finally {
            execute("DROP TRIGGER IF EXISTS " + trigger + " ON apimgtdb.throttle_policy",
                    "DROP FUNCTION IF EXISTS apimgtdb." + trigger + "()");
        }
    }

    @Test
    void badInputIsRefusedWithWso2Errors() {
        assertWso2Error(client.get().uri(DEAD_LETTERS + "?processingGroup=nope").exchange().expectStatus().isBadRequest()
                .expectBody().returnResult().getResponseBody(), 400L);
        assertWso2Error(client.post().uri(DEAD_LETTERS + "/{id}/retry", "00000000-0000-0000-0000-000000000000").exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 404L);
        assertWso2Error(client.post().uri(DEAD_LETTERS + "/{id}/retry", "not a letter!").exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 404L);
        assertWso2Error(client.delete().uri(DEAD_LETTERS + "/{id}", "x".repeat(300)).exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 404L);
        JsonNode all = tree(client.get().uri(DEAD_LETTERS + "?processingGroup=shareddb").exchange().expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(all.get("count").isNumber()).isTrue();

        String publisher = TestUsers.register(commands, "dlqpub" + unique(), "publisher");
        as(publisher, TestUsers.PASSWORD).get().uri(DEAD_LETTERS).exchange().expectStatus().isForbidden();
    }

    // ---- helpers ----

    String createPolicy(String name) {
        JsonNode created = tree(client.post().uri(ThrottlePolicyAdminTest.POLICIES + "/application")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(ThrottlePolicyAdminTest.applicationBody(name, 100)))
                .exchange().expectStatus().isCreated().expectBody().returnResult());
        return text(created, "policyId");
    }

    JsonNode letterOf(String aggregateId) {
        JsonNode list = tree(client.get().uri(DEAD_LETTERS + "?processingGroup=apimgtdb").exchange().expectStatus().isOk()
                .expectBody().returnResult());
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode letter : list.get("list")) {
            if (aggregateId.equals(text(letter, "aggregateId"))) {
                found.add(letter);
            }
        }
        assertThat(found.size()).as("letters of %s", aggregateId).isLessThanOrEqualTo(1);
        assertThat(list.get("count").asInt()).isEqualTo(list.get("list").size());
        return found.isEmpty() ? null : found.get(0);
    }

    JsonNode retry(String id) {
        return tree(client.post().uri(DEAD_LETTERS + "/{id}/retry", id).exchange().expectStatus().isOk().expectBody()
                .returnResult());
    }

    static void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
