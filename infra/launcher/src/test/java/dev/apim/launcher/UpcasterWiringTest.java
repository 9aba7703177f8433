package dev.apim.launcher;

import dev.apim.eventstore.upcasting.SubscriptionBlockedTenantUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The running application hands every upcaster to the event store (they are found by the component scan). */
class UpcasterWiringTest extends LauncherTestBase {

    @Autowired
    List<EventUpcaster> upcasters;

    @Test
    void theSubscriptionBlockedUpcasterIsInTheChain() {
        assertThat(upcasters).hasAtLeastOneElementOfType(SubscriptionBlockedTenantUpcaster.class);
    }
}
