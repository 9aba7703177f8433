package dev.apim.launcher;

import dev.apim.command.workflow.WorkflowDeadlineSweeper;
import dev.apim.domain.common.Tenants;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.workflow.CreateWorkflow;
import dev.apim.domain.workflow.WorkflowType;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Admin v4 workflows: the pending list, one workflow, the administrator's decision, the deadline sweeper. */
class WorkflowAdminTest extends LauncherTestBase {

    static final String WORKFLOWS = "/api/am/admin/v4/workflows";

    @Autowired
    CommandGateway commandGateway;
    @Autowired
    EventGateway eventGateway;
    @Autowired
    WorkflowDeadlineSweeper sweeper;

    /** Opens a workflow through the command gateway and waits for the read model to show it. */
    private String open(WorkflowType type, Instant deadline) {
        String id = UUID.randomUUID().toString();
        commandGateway.sendAndWait(GenericCommandMessage.asCommandMessage(new CreateWorkflow(id, Tenants.SUPER_TENANT,
                        type, UUID.randomUUID().toString(), "Approve " + id, Map.of("tier", "Gold"), deadline))
                .andMetaData(AuditMetadata.of(Tenants.SUPER_TENANT, "system", null, UUID.randomUUID().toString())));
        awaitStatus(id, "CREATED");
        return id;
    }

    private static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> queryLong(
                "SELECT count(*) FROM apimgtdb.workflow WHERE workflow_reference_id = ? AND status = ?", id, status) == 1);
    }

    private JsonNode refused(int status, Long code, Supplier<WebTestClient.ResponseSpec> request) {
        long before = eventCount();
        byte[] body = request.get().expectStatus().isEqualTo(status).expectBody().returnResult().getResponseBody();
        JsonNode error = assertWso2Error(body, code);
        assertThat(eventCount()).as("events written by a refused request").isEqualTo(before);
        return error;
    }

    private WebTestClient.ResponseSpec decide(WebTestClient as, String id, Object body) {
        return as.post().uri(WORKFLOWS + "/update-workflow-status?workflowReferenceId={id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange();
    }

    private static boolean listed(JsonNode list, String id) {
        for (JsonNode item : list.get("list")) {
            if (id.equals(text(item, "referenceId"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void pendingWorkflowsAreListedByTypeAndDecidedOnce() {
        String creation = open(WorkflowType.AM_SUBSCRIPTION_CREATION, null);
        String update = open(WorkflowType.AM_SUBSCRIPTION_UPDATE, null);

        JsonNode creations = tree(client.get().uri(WORKFLOWS + "?workflowType=AM_SUBSCRIPTION_CREATION&limit=1000")
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(listed(creations, creation)).isTrue();
        assertThat(listed(creations, update)).isFalse();
        assertThat(creations.get("count").asInt()).isEqualTo(creations.get("list").size());
        assertThat(creations.get("pagination").get("limit").asInt()).isEqualTo(1000);

        JsonNode one = tree(client.get().uri(WORKFLOWS + "/{id}", update).exchange().expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(text(one, "workflowType")).isEqualTo("AM_SUBSCRIPTION_UPDATE");
        assertThat(text(one, "workflowStatus")).isEqualTo("CREATED");
        assertThat(text(one, "referenceId")).isEqualTo(update);
        assertThat(text(one, "description")).isEqualTo("Approve " + update);
        assertThat(text(one.get("properties"), "tier")).isEqualTo("Gold");
        assertThat(text(one, "createdTime")).isNotBlank();

        JsonNode approved = tree(decide(client, creation, Map.of("status", "APPROVED", "attributes", Map.of(),
                "description", "fine")).expectStatus().isOk().expectBody().returnResult());
        assertThat(text(approved, "workflowStatus")).isEqualTo("APPROVED");
        assertThat(text(approved, "referenceId")).isEqualTo(creation);
        assertThat(queryRows("SELECT decided_by, decision_description FROM apimgtdb.workflow "
                + "WHERE workflow_reference_id = ?", creation).get(0))
                .containsEntry("decided_by", ADMIN).containsEntry("decision_description", "fine");

        JsonNode all = tree(client.get().uri(WORKFLOWS + "?limit=1000").exchange().expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(listed(all, creation)).as("a decided workflow is no longer pending").isFalse();
        assertThat(listed(all, update)).isTrue();

        refused(400, 900552L, () -> decide(client, creation, Map.of("status", "REJECTED")));
        JsonNode rejected = tree(decide(client, update, Map.of("status", "REJECTED")).expectStatus().isOk()
                .expectBody().returnResult());
        assertThat(text(rejected, "workflowStatus")).isEqualTo("REJECTED");
        refused(400, 900552L, () -> decide(client, update, Map.of("status", "APPROVED")));
    }

    @Test
    void badDecisionsAreRefusedWithoutEvents() {
        String id = open(WorkflowType.AM_SUBSCRIPTION_CREATION, null);
        refused(400, null, () -> decide(client, id, Map.of("status", "CREATED")));
        refused(400, null, () -> decide(client, id, Map.of("status", "maybe")));
        refused(400, null, () -> decide(client, id, Map.of("description", "no status")));
        refused(400, null, () -> decide(client, id, Map.of("status", "APPROVED", "unknown", 1)));
        refused(400, null, () -> decide(client, id, Map.of("status", "APPROVED", "description", "x".repeat(1025))));
        refused(400, null, () -> client.post().uri(WORKFLOWS + "/update-workflow-status")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(Map.of("status", "APPROVED"))).exchange());
        refused(400, null, () -> client.post().uri(WORKFLOWS + "/update-workflow-status?workflowReferenceId={id}", id)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{not json").exchange());
        refused(400, null, () -> client.get().uri(WORKFLOWS + "?workflowType=AM_APPLICATION_CREATION").exchange());
        refused(400, null, () -> client.get().uri(WORKFLOWS + "?limit=0").exchange());
        refused(400, null, () -> client.get().uri(WORKFLOWS + "?offset=-1").exchange());
        refused(400, null, () -> client.get().uri(WORKFLOWS + "?limit=ten").exchange());
        awaitStatus(id, "CREATED");
    }

    @Test
    void unknownWorkflowsAreNotFound() {
        refused(404, 900551L, () -> decide(client, UUID.randomUUID().toString(), Map.of("status", "APPROVED")));
        refused(404, 900551L, () -> decide(client, "not an id!", Map.of("status", "APPROVED")));
        refused(404, 900551L, () -> client.get().uri(WORKFLOWS + "/{id}", UUID.randomUUID().toString()).exchange());
        refused(404, 900551L, () -> client.get().uri(WORKFLOWS + "/{id}", "x".repeat(80)).exchange());
    }

    @Test
    void onlyAdminsSeeAndDecideWorkflows() {
        String id = open(WorkflowType.AM_SUBSCRIPTION_CREATION, null);
        String name = TestUsers.register(commandGateway, "wf-user-" + unique(), "subscriber", "creator");
        WebTestClient user = as(name, TestUsers.PASSWORD);
        // neither role grants apim:admin, apim:api_workflow_view or apim:api_workflow_approve
        refused(403, 900910L, () -> user.get().uri(WORKFLOWS).exchange());
        refused(403, 900910L, () -> user.get().uri(WORKFLOWS + "/{id}", id).exchange());
        refused(403, 900910L, () -> decide(user, id, Map.of("status", "APPROVED")));
        anonymous.get().uri(WORKFLOWS).exchange().expectStatus().isUnauthorized();
        awaitStatus(id, "CREATED");
    }

    @Test
    void theSweeperRejectsWorkflowsPastTheirDeadlineOnly() {
        String expired = open(WorkflowType.AM_SUBSCRIPTION_CREATION, Instant.now().minusSeconds(60));
        String future = open(WorkflowType.AM_SUBSCRIPTION_CREATION, Instant.now().plus(Duration.ofHours(1)));
        String never = open(WorkflowType.AM_SUBSCRIPTION_UPDATE, null);

        sweeper.sweep();
        awaitStatus(expired, "REJECTED");
        assertThat(queryRows("SELECT decided_by, decision_description FROM apimgtdb.workflow "
                + "WHERE workflow_reference_id = ?", expired).get(0))
                .containsEntry("decided_by", "system")
                .containsEntry("decision_description", WorkflowDeadlineSweeper.REASON);

        long before = eventCount();
        sweeper.sweep();
        assertThat(eventCount()).as("a second sweep decides nothing again").isEqualTo(before);
        awaitStatus(future, "CREATED");
        awaitStatus(never, "CREATED");
        refused(400, 900552L, () -> decide(client, expired, Map.of("status", "APPROVED")));
    }

    @Test
    void anOnHoldSubscriptionOpensAWorkflowThroughTheSaga() {
        String subscriptionId = UUID.randomUUID().toString();
        eventGateway.publish(GenericEventMessage.asEventMessage(new SubscriptionCreated(subscriptionId,
                        Tenants.SUPER_TENANT, UUID.randomUUID().toString(), UUID.randomUUID().toString(), "Gold",
                        SubscriptionStatus.ON_HOLD, ADMIN))
                .andMetaData(AuditMetadata.of(Tenants.SUPER_TENANT, ADMIN, null, UUID.randomUUID().toString())));

        await().atMost(Duration.ofSeconds(15)).until(() -> queryLong("SELECT count(*) FROM apimgtdb.workflow "
                + "WHERE reference_id = ? AND status = 'CREATED' AND workflow_type = 'AM_SUBSCRIPTION_CREATION'",
                subscriptionId) == 1);
        assertThat(queryLong("SELECT count(*) FROM event_store.association_value_entry "
                + "WHERE association_key = 'subscriptionId' AND association_value = ?", subscriptionId))
                .as("saga state in the JDBC saga store").isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM event_store.token_entry WHERE processor_name = ?",
                SagaConfiguration.APPROVAL_PROCESSOR)).as("the saga runs in a tracking processor").isPositive();
        assertThat(queryLong("SELECT count(*) FROM apimgtdb.workflow WHERE reference_id = ? AND deadline IS NULL",
                subscriptionId)).as("no approval timeout configured").isEqualTo(1);
    }
}
