package dev.apim.query.subscription;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code apimgtdb.subscription} over R2DBC, joined with the API and application it links. */
public class SubscriptionReadModel {

    /** One subscription with what the read models know about its API and application. */
    public record SubscriptionRow(String subscriptionId, String tenant, String apiId, String applicationId,
                                  String throttlingPolicy, String requestedPolicy, String status, String subscriber,
                                  String apiName, String apiDescription, String apiContext, String apiVersion,
                                  String apiType, String apiProvider, String apiLifecycleStatus,
                                  String applicationName, String applicationPolicy, String applicationDescription,
                                  String applicationOwner, String applicationTokenType) {}

    /** A page of subscriptions and the total matching. */
    public record Page(List<SubscriptionRow> rows, long total) {}

    private static final String FROM = """
             FROM apimgtdb.subscription s
             LEFT JOIN apimgtdb.api a ON a.api_id = s.api_id
             LEFT JOIN apimgtdb.application p ON p.application_id = s.application_id
            """;
    private static final String COLUMNS = """
            SELECT s.subscription_id, s.tenant, s.api_id, s.application_id, s.throttling_policy, s.requested_policy,
                   s.status, s.subscriber, a.name AS api_name, a.description AS api_description, a.context, a.version,
                   a.type, a.provider, a.lifecycle_status, p.name AS app_name, p.throttling_policy AS app_policy,
                   p.description AS app_description, p.owner, p.token_type
            """;

    private final DatabaseClient db;

    public SubscriptionReadModel(DatabaseClient db) {
        this.db = db;
    }

    public Mono<SubscriptionRow> subscription(String tenant, String subscriptionId) {
        return db.sql(COLUMNS + FROM + " WHERE s.tenant = :tenant AND s.subscription_id = :id")
                .bind("tenant", tenant).bind("id", subscriptionId)
                .map(SubscriptionReadModel::row).one();
    }

    /**
     * Subscriptions of the tenant filtered by API, application and subscriber (each null for any), ordered by
     * creation.
     */
    public Mono<Page> subscriptions(String tenant, String apiId, String applicationId, String subscriber, int limit,
                                    int offset) {
        StringBuilder where = new StringBuilder(" WHERE s.tenant = :tenant");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put("tenant", tenant);
        if (apiId != null) {
            where.append(" AND s.api_id = :api");
            binds.put("api", apiId);
        }
        if (applicationId != null) {
            where.append(" AND s.application_id = :app");
            binds.put("app", applicationId);
        }
        if (subscriber != null) {
            where.append(" AND s.subscriber = :subscriber");
            binds.put("subscriber", subscriber);
        }
        var count = db.sql("SELECT count(*) AS total FROM apimgtdb.subscription s" + where);
        var rows = db.sql(COLUMNS + FROM + where + " ORDER BY s.created_time, s.subscription_id LIMIT :limit OFFSET :offset");
        for (Map.Entry<String, Object> b : binds.entrySet()) {
            count = count.bind(b.getKey(), b.getValue());
            rows = rows.bind(b.getKey(), b.getValue());
        }
        rows = rows.bind("limit", limit).bind("offset", offset);
        Mono<Long> total = count.map(r -> r.get("total", Long.class)).one();
        return total.zipWith(rows.map(SubscriptionReadModel::row).all().collectList(),
                (t, list) -> new Page(new ArrayList<>(list), t));
    }

    /** The owner of an application of the tenant, or empty. */
    public Mono<String> applicationOwner(String tenant, String applicationId) {
        return db.sql("SELECT owner FROM apimgtdb.application WHERE tenant = :tenant AND application_id = :id")
                .bind("tenant", tenant).bind("id", applicationId)
                .map(r -> r.get("owner", String.class)).one();
    }

    /** Whether the tenant has the API. */
    public Mono<Boolean> apiExists(String tenant, String apiId) {
        return db.sql("SELECT count(*) AS n FROM apimgtdb.api WHERE tenant = :tenant AND api_id = :id")
                .bind("tenant", tenant).bind("id", apiId)
                .map(r -> r.get("n", Long.class) > 0).one();
    }

    private static SubscriptionRow row(Readable r) {
        return new SubscriptionRow(r.get("subscription_id", String.class), r.get("tenant", String.class),
                r.get("api_id", String.class), r.get("application_id", String.class),
                r.get("throttling_policy", String.class), r.get("requested_policy", String.class),
                r.get("status", String.class), r.get("subscriber", String.class), r.get("api_name", String.class),
                r.get("api_description", String.class), r.get("context", String.class),
                r.get("version", String.class), r.get("type", String.class), r.get("provider", String.class),
                r.get("lifecycle_status", String.class), r.get("app_name", String.class),
                r.get("app_policy", String.class), r.get("app_description", String.class),
                r.get("owner", String.class), r.get("token_type", String.class));
    }
}
