package dev.apim.command.subscription;

import dev.apim.domain.api.ApiSubscriptionCheck;
import org.springframework.jdbc.core.JdbcTemplate;

/** Live subscriptions of an API, from the subscription claim table (consistent with the event store). */
public class ClaimedSubscriptionCheck implements ApiSubscriptionCheck {

    private final JdbcTemplate jdbc;
    private final String table;

    public ClaimedSubscriptionCheck(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    @Override
    public boolean hasLiveSubscriptions(String tenant, String apiId) {
        Boolean live = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE tenant = ? AND api_id = ?)",
                Boolean.class, tenant, apiId);
        return Boolean.TRUE.equals(live);
    }
}
