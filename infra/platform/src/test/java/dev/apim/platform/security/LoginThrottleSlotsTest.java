package dev.apim.platform.security;

import dev.apim.platform.redis.ClusterSlots;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two keys of every login key (one script's KEYS) are in one Redis Cluster slot, whatever the name holds. */
class LoginThrottleSlotsTest {

    @Test
    void both_keys_of_a_login_key_share_a_slot() {
        for (String key : new String[] {"user:carbon.super/admin", "client:abc123", "ip:10.0.0.1", "ip:::1",
                "user:carbon.super/we}ird{name", "user:t/{x}"}) {
            assertThat(ClusterSlots.slot(LoginThrottle.redisKey(key, "failures")))
                    .as(key).isEqualTo(ClusterSlots.slot(LoginThrottle.redisKey(key, "lock")));
        }
    }
}
