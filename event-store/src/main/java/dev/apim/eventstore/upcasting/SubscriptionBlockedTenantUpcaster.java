package dev.apim.eventstore.upcasting;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.messaging.MetaData;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * {@link SubscriptionBlocked} revision 2 carries its tenant (a gateway enforcing the block needs it, and it used to
 * be taken from the metadata). The first form had none: it gets the tenant recorded in the event's audit metadata,
 * which every command-produced event carries (null if absent, as the old form meant).
 */
@Component
@Order(1)
public class SubscriptionBlockedTenantUpcaster extends JsonEventUpcaster {

    public SubscriptionBlockedTenantUpcaster() {
        super(SubscriptionBlocked.class, null, "2");
    }

    @Override
    protected ObjectNode upcast(ObjectNode payload, MetaData metaData) {
        if (!payload.hasNonNull("tenant")) {
            Object tenant = metaData.get(AuditMetadata.TENANT);
            payload.put("tenant", tenant == null ? null : tenant.toString());
        }
        return payload;
    }
}
