package dev.apim.query.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.subscription.SubscriptionStatus;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.subscription.event.SubscriptionCreated;
import dev.apim.domain.subscription.event.SubscriptionDeleted;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRejected;
import dev.apim.domain.subscription.event.SubscriptionTierChangeRequested;
import dev.apim.domain.subscription.event.SubscriptionTierChanged;
import dev.apim.domain.workflow.WorkflowCompleted;
import dev.apim.domain.workflow.WorkflowCreated;
import dev.apim.domain.workflow.WorkflowStatus;
import dev.apim.domain.workflow.WorkflowType;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Subscriptions and workflows in apimgtdb on real PostgreSQL: correct status after each event, idempotent. */
class SubscriptionProjectionTest {

    private static JdbcTemplate jdbc;
    private static SubscriptionProjection projection;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void database() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServices.freshDatabase("subscriptions"));
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new SubscriptionProjection(jdbc, new ObjectMapper().findAndRegisterModules());
    }

    private static String status(String id) {
        return jdbc.queryForObject("SELECT status || '/' || throttling_policy FROM apimgtdb.subscription "
                + "WHERE subscription_id = ?", String.class, id);
    }

    @Test
    void a_tier_change_requested_while_production_blocked_returns_to_production_blocked() {
        String id = UUID.randomUUID().toString();
        Runnable events = () -> {
            projection.on(new SubscriptionCreated(id, "t", "api", "app", "Gold", SubscriptionStatus.UNBLOCKED, "alice"), 0, T0);
            projection.on(new SubscriptionBlocked(id, "carbon.super", "api", "app", true), 1, T0);
            projection.on(new SubscriptionTierChangeRequested(id, "t", "api", "app", "Platinum"), 2, T0);
        };
        events.run();
        assertThat(status(id)).isEqualTo("TIER_UPDATE_PENDING/Gold");
        projection.on(new SubscriptionTierChanged(id, "api", "app", "Platinum"), 3, T0);
        events.run();
        projection.on(new SubscriptionTierChanged(id, "api", "app", "Platinum"), 3, T0);
        assertThat(status(id)).isEqualTo("PROD_ONLY_BLOCKED/Platinum");
    }

    @Test
    void a_rejected_tier_change_keeps_the_tier_and_status() {
        String id = UUID.randomUUID().toString();
        projection.on(new SubscriptionCreated(id, "t", "api", "app", "Gold", SubscriptionStatus.UNBLOCKED, "alice"), 0, T0);
        projection.on(new SubscriptionTierChangeRequested(id, "t", "api", "app", "Platinum"), 1, T0);
        projection.on(new SubscriptionTierChangeRejected(id, "api", "app", "Platinum"), 2, T0);
        projection.on(new SubscriptionTierChangeRequested(id, "t", "api", "app", "Platinum"), 1, T0);
        assertThat(status(id)).isEqualTo("UNBLOCKED/Gold");
        projection.on(new SubscriptionDeleted(id, "t", "api", "app"));
        projection.on(new SubscriptionDeleted(id, "t", "api", "app"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.subscription WHERE subscription_id = ?",
                Integer.class, id)).isZero();
    }

    @Test
    void a_workflow_is_recorded_and_decided_once() {
        String id = UUID.randomUUID().toString();
        WorkflowCreated created = new WorkflowCreated(id, "t", WorkflowType.AM_SUBSCRIPTION_CREATION, "sub",
                "Gold for app", Map.of("tier", "Gold"), T0.plusSeconds(3600));
        projection.on(created, T0);
        projection.on(created, T0);
        projection.on(new WorkflowCompleted(id, "t", WorkflowType.AM_SUBSCRIPTION_CREATION, "sub",
                WorkflowStatus.APPROVED, "ok", "admin"), T0.plusSeconds(5));
        projection.on(new WorkflowCompleted(id, "t", WorkflowType.AM_SUBSCRIPTION_CREATION, "sub",
                WorkflowStatus.REJECTED, "late duplicate", "admin"), T0.plusSeconds(9));
        Map<String, Object> row = jdbc.queryForMap("SELECT status, decided_by, properties::text AS p FROM apimgtdb.workflow "
                + "WHERE workflow_reference_id = ?", id);
        assertThat(row).containsEntry("status", "APPROVED").containsEntry("decided_by", "admin");
        assertThat((String) row.get("p")).contains("\"tier\"");
    }
}
