package dev.apim.launcher;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail over REST: the event store's feed with who, when and from where, per tenant, admins only. */
class AuditTest extends LauncherTestBase {

    static final String AUDIT = "/api/am/admin/v4/audit";
    static final String API_UPDATED = "dev.apim.domain.api.event.ApiUpdated";
    /** How Axon writes time_stamp. */
    static final DateTimeFormatter STORED_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Autowired
    CommandGateway commands;

    @Test
    void whoChangedTheApisPolicyWhenAndFromWhereInOneCall() {
        String suffix = unique();
        Map<String, Object> body = apiBody("Audit-" + suffix, "/audit-" + suffix, "1.0.0");
        String apiId = text(tree(createApi(body)), "id");
        String publisher = TestUsers.register(commands, "auditpub" + suffix, "publisher");
        WebTestClient asPublisher = as(publisher, TestUsers.PASSWORD);

        Instant beforeChanges = Instant.now();
        body.put("policies", List.of("Gold"));
        asPublisher.put().uri(PUBLISHER + "/apis/{id}", apiId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isOk();
        body.put("policies", List.of("Gold", "Silver"));
        client.put().uri(PUBLISHER + "/apis/{id}", apiId).header("X-Correlation-ID", "audit-corr-" + suffix)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange().expectStatus().isOk();

        JsonNode page = tree(client.get().uri(AUDIT + "/events?aggregateId={id}&eventType=ApiUpdated", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(page.get("count").asInt()).isEqualTo(2);
        JsonNode first = page.get("list").get(0);
        JsonNode second = page.get("list").get(1);
        assertThat(text(first, "principal")).isEqualTo(publisher);
        assertThat(text(second, "principal")).isEqualTo(ADMIN);
        for (JsonNode item : List.of(first, second)) {
            assertThat(text(item, "aggregateId")).isEqualTo(apiId);
            assertThat(text(item, "aggregateType")).isEqualTo("Api");
            assertThat(text(item, "eventType")).isEqualTo(API_UPDATED);
            assertThat(text(item, "tenant")).isEqualTo("carbon.super");
            assertThat(text(item, "clientIp")).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
            assertThat(text(item, "causationId")).isNotBlank();
            assertThat(Instant.parse(text(item, "timestamp"))).isAfterOrEqualTo(beforeChanges.minusMillis(1));
        }
        assertThat(text(second, "correlationId")).isEqualTo("audit-corr-" + suffix);
        assertThat(first.get("globalIndex").asLong()).isLessThan(second.get("globalIndex").asLong());
        assertThat(first.get("sequenceNumber").asLong()).isEqualTo(1);
        // the payload is the event as JSON: what the policy became
        assertThat(first.at("/payload/definition/policies").toString()).isEqualTo("[\"Gold\"]");
        assertThat(second.at("/payload/definition/policies").toString()).isEqualTo("[\"Gold\",\"Silver\"]");
        assertThat(page.at("/pagination/next").isNull()).isTrue();

        // the full event type name and the principal filter answer the same question
        JsonNode byPublisher = tree(client.get().uri(AUDIT + "/events?aggregateId={id}&eventType={t}&principal={p}",
                apiId, API_UPDATED, publisher).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(byPublisher.get("count").asInt()).isEqualTo(1);
        assertThat(byPublisher.at("/list/0/globalIndex").asLong()).isEqualTo(first.get("globalIndex").asLong());
        // a time range after the changes holds none of them
        JsonNode later = tree(client.get().uri(AUDIT + "/events?aggregateId={id}&from={f}", apiId,
                Instant.now().plusSeconds(60).toString()).exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(later.get("count").asInt()).isZero();
        JsonNode range = tree(client.get().uri(AUDIT + "/events?aggregateId={id}&from={f}&to={t}", apiId,
                beforeChanges.toString(), Instant.now().plusSeconds(1).toString())
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(range.get("count").asInt()).isEqualTo(2);

        // the API's own history: created, then the two changes
        JsonNode history = tree(client.get().uri(AUDIT + "/apis/{id}", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        List<String> types = new ArrayList<>();
        history.get("list").forEach(item -> types.add(text(item, "eventType")));
        assertThat(types).containsExactly(API_CREATED, API_UPDATED, API_UPDATED);
    }

    @Test
    void theFeedPagesByCursorInGlobalOrder() {
        String suffix = unique();
        Map<String, Object> body = apiBody("AuditPage-" + suffix, "/auditpage-" + suffix, "1.0.0");
        String apiId = text(tree(createApi(body)), "id");
        for (int i = 0; i < 4; i++) {
            body.put("description", "change " + i);
            client.put().uri(PUBLISHER + "/apis/{id}", apiId).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(json(body)).exchange().expectStatus().isOk();
        }
        List<Long> expected = new ArrayList<>();
        queryRows("SELECT global_index FROM " + EVENTS + " WHERE aggregate_identifier = ? ORDER BY global_index",
                apiId).forEach(row -> expected.add(((Number) row.get("global_index")).longValue()));
        assertThat(expected).hasSize(5);

        List<Long> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (after != null) {
            JsonNode page = tree(client.get().uri(AUDIT + "/events?aggregateId={id}&limit=2&after={a}", apiId, after)
                    .exchange().expectStatus().isOk().expectBody().returnResult());
            page.get("list").forEach(item -> seen.add(item.get("globalIndex").asLong()));
            JsonNode next = page.at("/pagination/next");
            after = next.isNull() ? null : String.valueOf(next.asLong());
            pages++;
            assertThat(pages).isLessThanOrEqualTo(3);
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).isEqualTo(expected);

        // the unfiltered feed is ordered by global index too and starts after the cursor
        JsonNode feed = tree(client.get().uri(AUDIT + "/events?after={a}&limit=1000", expected.get(0) - 1)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(feed.at("/list/0/globalIndex").asLong()).isEqualTo(expected.get(0));
        long previous = Long.MIN_VALUE;
        for (JsonNode item : feed.get("list")) {
            assertThat(item.get("globalIndex").asLong()).isGreaterThan(previous);
            previous = item.get("globalIndex").asLong();
        }
        // one aggregate's history pages the same way
        JsonNode historyPage = tree(client.get().uri(AUDIT + "/apis/{id}?limit=3", apiId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(historyPage.get("count").asInt()).isEqualTo(3);
        assertThat(historyPage.at("/pagination/next").asLong()).isEqualTo(expected.get(2));
    }

    @Test
    void exportsAsJsonLinesByAcceptHeaderOrFormat() throws SQLException {
        String suffix = unique();
        Map<String, Object> body = apiBody("AuditExport-" + suffix, "/auditexport-" + suffix, "1.0.0");
        String apiId = text(tree(createApi(body)), "id");
        body.put("description", "exported");
        client.put().uri(PUBLISHER + "/apis/{id}", apiId).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(body)).exchange().expectStatus().isOk();

        EntityExchangeResult<byte[]> byAccept = client.get().uri(AUDIT + "/events?aggregateId={id}", apiId)
                .accept(MediaType.APPLICATION_NDJSON).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBody().returnResult();
        List<JsonNode> lines = lines(byAccept.getResponseBody());
        assertThat(lines).hasSize(2);
        assertThat(text(lines.get(0), "eventType")).isEqualTo(API_CREATED);
        assertThat(text(lines.get(1), "eventType")).isEqualTo(API_UPDATED);
        assertThat(lines.get(1).at("/payload/definition/description").asString()).isEqualTo("exported");

        EntityExchangeResult<byte[]> byFormat = client.get().uri(AUDIT + "/events?aggregateId={id}&format=jsonl", apiId)
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                .expectBody().returnResult();
        assertThat(lines(byFormat.getResponseBody())).isEqualTo(lines);

        // larger than one export page (AuditLog reads 500 rows per round trip): every event, in order, once
        String bulkId = "bulk-" + suffix;
        insertEvents(bulkId, "dev.apim.audit.test.Bulk" + suffix, "carbon.super", 1200);
        EntityExchangeResult<byte[]> everything = client.get().uri(AUDIT + "/events?aggregateId={id}", bulkId)
                .accept(MediaType.APPLICATION_NDJSON).exchange().expectStatus().isOk().expectBody().returnResult();
        List<JsonNode> all = lines(everything.getResponseBody());
        assertThat(all).hasSize(1200);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).get("sequenceNumber").asLong()).isEqualTo(i);
        }
        // the paged feed stops at its limit where the export does not
        JsonNode page = tree(client.get().uri(AUDIT + "/events?aggregateId={id}", bulkId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(page.get("count").asInt()).isEqualTo(100);
        assertThat(page.at("/pagination/next").asLong()).isEqualTo(all.get(99).get("globalIndex").asLong());
    }

    @Test
    void badFiltersAreRefusedWithWso2Errors() {
        List<List<String>> bad = List.of(List.of("limit={v}", "0"), List.of("limit={v}", "1001"),
                List.of("limit={v}", "ten"), List.of("after={v}", "-1"), List.of("after={v}", "x"),
                List.of("from={v}", "yesterday"), List.of("to={v}", "2026-13-01T00:00:00Z"),
                List.of("from={v}&to={w}", "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"),
                List.of("from={v}&to={w}", "2026-02-01T00:00:00Z", "2026-02-01T00:00:00Z"),
                List.of("eventType={v}", "Api Updated"), List.of("eventType={v}", "..x"),
                List.of("aggregateType={v}", "Api;DROP"), List.of("format={v}", "xml"),
                List.of("aggregateId={v}", "x".repeat(256)), List.of("principal={v}", "\u0001admin"),
                List.of("format={v}&limit={w}", "jsonl", "5"));
        for (List<String> query : bad) {
            byte[] body = client.get().uri(AUDIT + "/events?" + query.get(0), query.subList(1, query.size()).toArray())
                    .exchange().expectStatus().isBadRequest().expectBody().returnResult().getResponseBody();
            assertWso2Error(body, 400L);
        }
        assertWso2Error(client.get().uri(AUDIT + "/events").header("Accept", "application/x-ndjson;;=")
                .exchange().expectStatus().is4xxClientError().expectBody().returnResult().getResponseBody(), null);
        byte[] notFound = client.get().uri(AUDIT + "/apis/{id}", UUID.randomUUID().toString()).exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        assertWso2Error(notFound, 900308L);
        assertWso2Error(client.get().uri(AUDIT + "/applications/{id}", UUID.randomUUID().toString()).exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 900307L);
        assertWso2Error(client.get().uri(AUDIT + "/subscriptions/{id}", UUID.randomUUID().toString()).exchange()
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody(), 900310L);
        assertWso2Error(client.get().uri(AUDIT + "/apis/{id}?limit=0", UUID.randomUUID().toString()).exchange()
                .expectStatus().isBadRequest().expectBody().returnResult().getResponseBody(), 400L);
    }

    @Test
    void aNonAdminIsForbidden() {
        String suffix = unique();
        String apiId = text(tree(createApi(apiBody("AuditForbid-" + suffix, "/auditforbid-" + suffix, "1.0.0"))), "id");
        String publisher = TestUsers.register(commands, "auditnon" + suffix, "publisher");
        String subscriber = TestUsers.register(commands, "auditsub" + suffix, "subscriber");
        for (String user : List.of(publisher, subscriber)) {
            WebTestClient nonAdmin = as(user, TestUsers.PASSWORD);
            for (String uri : List.of(AUDIT + "/events", AUDIT + "/events?format=jsonl", AUDIT + "/apis/" + apiId,
                    AUDIT + "/applications/" + apiId, AUDIT + "/subscriptions/" + apiId)) {
                byte[] body = nonAdmin.get().uri(uri).exchange().expectStatus().isForbidden()
                        .expectBody().returnResult().getResponseBody();
                assertWso2Error(body, 900910L);
            }
        }
        client.get().uri(AUDIT + "/apis/{id}", apiId).exchange().expectStatus().isOk();
    }

    @Test
    void anotherTenantsEventsAreInvisible() throws SQLException {
        // the test's own database: one event of another tenant and one of ours, with a type nothing handles
        String suffix = unique();
        String eventType = "dev.apim.audit.test.Foreign" + suffix;
        String foreignId = "foreign-" + suffix;
        String ownId = "own-" + suffix;
        insertEvent(foreignId, eventType, "other.example.com", ADMIN);
        insertEvent(ownId, eventType, "carbon.super", ADMIN);

        JsonNode byType = tree(client.get().uri(AUDIT + "/events?eventType={t}", "Foreign" + suffix)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(byType.get("count").asInt()).isEqualTo(1);
        assertThat(text(byType.at("/list/0"), "aggregateId")).isEqualTo(ownId);
        assertThat(byType.at("/list/0/payload/note").asString()).isEqualTo("audit test");

        JsonNode byId = tree(client.get().uri(AUDIT + "/events?aggregateId={id}", foreignId)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(byId.get("count").asInt()).isZero();
        assertWso2Error(client.get().uri(AUDIT + "/apis/{id}", foreignId).exchange().expectStatus().isNotFound()
                .expectBody().returnResult().getResponseBody(), 900308L);
        client.get().uri(AUDIT + "/apis/{id}", ownId).exchange().expectStatus().isOk();

        String export = new String(client.get().uri(AUDIT + "/events?format=jsonl").exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody(), StandardCharsets.UTF_8);
        assertThat(export).contains(ownId).doesNotContain(foreignId).doesNotContain("other.example.com");
    }

    private static void insertEvent(String aggregateId, String payloadType, String tenant, String principal)
            throws SQLException {
        insertEvents(aggregateId, payloadType, tenant, principal, 1);
    }

    private static void insertEvents(String aggregateId, String payloadType, String tenant, int count)
            throws SQLException {
        insertEvents(aggregateId, payloadType, tenant, ADMIN, count);
    }

    /** Events of a type nothing handles (processors skip them), sequence 0..count-1 of one aggregate. */
    private static void insertEvents(String aggregateId, String payloadType, String tenant, String principal,
                                     int count) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + EVENTS
                + " (event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                + "payload, meta_data) VALUES (?, ?, ?, 'Api', ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, aggregateId);
                ps.setLong(3, i);
                ps.setString(4, STORED_TIME.format(Instant.now()));
                ps.setString(5, payloadType);
                ps.setString(6, "{\"note\":\"audit test\"}");
                ps.setString(7, json(Map.of("tenant", tenant, "principal", principal, "clientIp", "10.0.0.1",
                        "correlationId", UUID.randomUUID().toString(), "causationId", UUID.randomUUID().toString())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static List<JsonNode> lines(byte[] body) {
        assertThat(body).isNotNull();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }
}
