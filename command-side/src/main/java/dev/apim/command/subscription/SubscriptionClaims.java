package dev.apim.command.subscription;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.subscription.SubscriptionRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/** "One subscription per API and application" as a claim table written in the command's transaction. */
public class SubscriptionClaims implements SubscriptionRegistry {

    private final JdbcTemplate jdbc;
    private final String table;

    public SubscriptionClaims(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    @Override
    public void claim(String tenant, String apiId, String applicationId, String subscriptionId) {
        int inserted = jdbc.update("INSERT INTO " + table + " (tenant, api_id, application_id, subscription_id) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, api_id, application_id) DO NOTHING",
                tenant, apiId, applicationId, subscriptionId);
        if (inserted == 0) {
            throw DomainException.of(DomainError.SUBSCRIPTION_ALREADY_EXISTS,
                    "Application %s is already subscribed to API %s", applicationId, apiId);
        }
    }

    @Override
    public void release(String tenant, String apiId, String applicationId, String subscriptionId) {
        jdbc.update("DELETE FROM " + table + " WHERE tenant = ? AND api_id = ? AND application_id = ? "
                + "AND subscription_id = ?", tenant, apiId, applicationId, subscriptionId);
    }
}
