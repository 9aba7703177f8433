package dev.apim.testsupport;

import java.util.function.Function;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Talks to a Redis server through Redisson for the duration of one check, with a minimal pool. */
final class RedisProbe {

    private RedisProbe() {
    }

    static <T> T with(String redisUri, Function<RedissonClient, T> check) {
        Config config = new Config();
        config.useSingleServer().setAddress(redisUri).setConnectionMinimumIdleSize(1).setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(0).setRetryAttempts(0);
        RedissonClient client = Redisson.create(config);
        try {
            return check.apply(client);
        } finally {
            client.shutdown();
        }
    }
}
