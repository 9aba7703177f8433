package dev.apim.launcher;

import dev.apim.command.policy.ThrottlePolicyBootstrap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The default policies are created once: running the bootstrap again (a restart, another node) writes nothing. */
class ThrottlePolicyBootstrapTest extends LauncherTestBase {

    @Autowired
    ThrottlePolicyBootstrap bootstrap;

    @Test
    void runningTheBootstrapAgainWritesNoEvent() {
        long before = eventCount();
        bootstrap.onApplicationEvent(null);
        assertThat(eventCount()).isEqualTo(before);
        assertThat(queryLong("SELECT count(*) FROM event_store.throttle_policy_claim WHERE tenant = 'carbon.super' "
                + "AND name IN ('10PerMin', '20PerMin', '50PerMin', 'Unlimited', 'Gold', 'Silver', 'Bronze', "
                + "'Unauthenticated', '10KPerMin', '20KPerMin', '50KPerMin')")).isEqualTo(13);
    }
}
