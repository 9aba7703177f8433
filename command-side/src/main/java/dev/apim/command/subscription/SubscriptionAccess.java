package dev.apim.command.subscription;

import dev.apim.platform.wso2.devportal.SubscriptionDto;
import org.springframework.jdbc.core.JdbcTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a subscription id names a subscription of the caller's tenant (and, for a subscriber, one of their
 * own), asked before a command is sent. It reads the subscription read model, which a write answers only after
 * updating; the tenant and subscriber of a subscription never change, so the answer cannot go stale (a
 * subscription deleted meanwhile is refused by its aggregate).
 */
public class SubscriptionAccess {

    private static final Pattern ID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final JdbcTemplate jdbc;

    public SubscriptionAccess(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the text can be a subscription id at all. */
    public static boolean wellFormed(String subscriptionId) {
        return subscriptionId != null && ID.matcher(subscriptionId).matches();
    }

    /**
     * Completes empty when the subscription is unknown in the tenant or (when {@code subscriber} is not null)
     * belongs to someone else; runs its JDBC read off the event loop.
     */
    public Mono<String> visible(String tenant, String subscriptionId, String subscriber) {
        if (!wellFormed(subscriptionId)) {
            return Mono.empty();
        }
        return Mono.fromCallable(() -> {
                    List<String> owners = jdbc.queryForList("SELECT subscriber FROM apimgtdb.subscription "
                            + "WHERE tenant = ? AND subscription_id = ?", String.class, tenant, subscriptionId);
                    return owners.stream().filter(o -> subscriber == null || subscriber.equals(o)).findFirst()
                            .orElse(null);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** The subscription as the read model shows it (with its API and application), or empty; off the event loop. */
    public Mono<SubscriptionDto> describe(String tenant, String subscriptionId) {
        return Mono.fromCallable(() -> jdbc.query("""
                        SELECT s.subscription_id, s.api_id, s.application_id, s.throttling_policy, s.requested_policy,
                               s.status, a.name AS api_name, a.description AS api_description, a.context, a.version,
                               a.type, a.provider, a.lifecycle_status, p.name AS app_name,
                               p.throttling_policy AS app_policy, p.description AS app_description, p.owner,
                               p.token_type
                        FROM apimgtdb.subscription s
                        LEFT JOIN apimgtdb.api a ON a.api_id = s.api_id
                        LEFT JOIN apimgtdb.application p ON p.application_id = s.application_id
                        WHERE s.tenant = ? AND s.subscription_id = ?""",
                        (rs, i) -> new SubscriptionDto(rs.getString("subscription_id"), rs.getString("application_id"),
                                rs.getString("api_id"),
                                new SubscriptionDto.ApiInfo(rs.getString("api_id"), rs.getString("api_name"),
                                        rs.getString("api_description"), rs.getString("context"),
                                        rs.getString("version"), rs.getString("type"), rs.getString("provider"),
                                        rs.getString("lifecycle_status")),
                                new SubscriptionDto.ApplicationInfo(rs.getString("application_id"),
                                        rs.getString("app_name"), rs.getString("app_policy"),
                                        rs.getString("app_description"), "APPROVED", rs.getString("owner"),
                                        rs.getString("token_type")),
                                rs.getString("throttling_policy"), rs.getString("requested_policy"),
                                rs.getString("status"), java.util.Map.of()),
                        tenant, subscriptionId).stream().findFirst().orElse(null))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
