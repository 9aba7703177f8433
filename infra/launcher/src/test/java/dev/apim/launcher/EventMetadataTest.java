package dev.apim.launcher;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail: what the event row of a create records, read with plain SQL. */
class EventMetadataTest extends LauncherTestBase {

    @Test
    void createRecordsWhoWhereAndWhy() {
        String suffix = unique();
        String name = "Audited-" + suffix;
        String correlationId = "it-corr-" + suffix;
        EntityExchangeResult<byte[]> created = client.post().uri(PUBLISHER + "/apis")
                .header("X-Correlation-ID", correlationId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody(name, "/audited-" + suffix, "1.0.0")))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().valueEquals("X-Correlation-ID", correlationId)
                .expectBody().returnResult();
        String apiId = text(tree(created), "id");
        long eventIndex = Long.parseLong(created.getResponseHeaders().getFirst("X-Event-Index"));

        List<Map<String, Object>> rows = queryRows("SELECT global_index, sequence_number, type, payload_type, payload, "
                + "meta_data FROM " + EVENTS + " WHERE aggregate_identifier = ? ORDER BY global_index", apiId);
        assertThat(rows).hasSize(1);
        Map<String, Object> row = rows.get(0);
        assertThat(((Number) row.get("global_index")).longValue()).isEqualTo(eventIndex);
        assertThat(((Number) row.get("sequence_number")).longValue()).isZero();
        assertThat(row.get("payload_type")).isEqualTo(API_CREATED);

        // payload: readable JSON text with the API's name
        assertThat(row.get("payload")).isInstanceOf(String.class);
        String payloadText = (String) row.get("payload");
        assertThat(payloadText).contains(name);
        JsonNode payload = JSON.readTree(payloadText);
        assertThat(payload.at("/apiId").asString()).isEqualTo(apiId);
        assertThat(payload.at("/definition/name").asString()).isEqualTo(name);
        assertThat(payload.at("/definition/context").asString()).isEqualTo("/audited-" + suffix);

        // meta_data: principal, tenant, client IP, correlation and causation ids
        assertThat(row.get("meta_data")).isInstanceOf(String.class);
        JsonNode meta = JSON.readTree((String) row.get("meta_data"));
        assertThat(text(meta, "principal")).isEqualTo(ADMIN);
        assertThat(text(meta, "tenant")).isEqualTo("carbon.super");
        assertThat(text(meta, "clientIp")).as("clientIp in %s", meta).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
        assertThat(text(meta, "correlationId")).isEqualTo(correlationId);
        assertThat(text(meta, "causationId")).as("causationId in %s", meta).isNotBlank()
                .isNotEqualTo(correlationId);
    }

    @Test
    void aMissingOrMalformedCorrelationIdIsReplaced() {
        String suffix = unique();
        EntityExchangeResult<byte[]> created = client.post().uri(PUBLISHER + "/apis")
                .header("X-Correlation-ID", "not valid <script>")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(apiBody("Corr-" + suffix, "/corr-" + suffix, "1.0.0")))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult();
        String issued = created.getResponseHeaders().getFirst("X-Correlation-ID");
        assertThat(issued).isNotBlank().isNotEqualTo("not valid <script>");
        String apiId = text(tree(created), "id");
        String metaText = (String) queryRows("SELECT meta_data FROM " + EVENTS + " WHERE aggregate_identifier = ?",
                apiId).get(0).get("meta_data");
        assertThat(text(JSON.readTree(metaText), "correlationId")).isEqualTo(issued);
    }

    @Test
    void laterEventsOfTheSameRequestChainKeepTheirOwnCorrelation() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("Chain-" + suffix, "/chain-" + suffix, "1.0.0"))), "id");
        String correlationId = "it-publish-" + suffix;
        client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action=Publish", apiId)
                .header("X-Correlation-ID", correlationId)
                .exchange()
                .expectStatus().isOk();
        List<Map<String, Object>> rows = queryRows("SELECT payload_type, meta_data FROM " + EVENTS
                + " WHERE aggregate_identifier = ? ORDER BY global_index", apiId);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("payload_type")).isEqualTo("dev.apim.domain.api.event.ApiLifecycleChanged");
        JsonNode meta = JSON.readTree((String) rows.get(1).get("meta_data"));
        assertThat(text(meta, "correlationId")).isEqualTo(correlationId);
        assertThat(text(meta, "principal")).isEqualTo(ADMIN);
        JsonNode createMeta = JSON.readTree((String) rows.get(0).get("meta_data"));
        assertThat(text(meta, "causationId")).isNotEqualTo(text(createMeta, "causationId"));
    }
}
