package dev.apim.gateway.throttle;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code apim.gateway.throttle.*} binds, as Spring binds it on a node. */
class ThrottlePropertiesTest {

    private static ThrottleProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("apim.gateway.throttle", ThrottleProperties.class);
    }

    @Test
    void defaults_are_local_limiting_on_one_node_with_a_50ms_redis_timeout() {
        ThrottleProperties properties = bind(Map.of());

        assertThat(properties.redisDown()).isEqualTo(ThrottleProperties.RedisDown.LOCAL);
        assertThat(properties.nodes()).isEqualTo(1);
        assertThat(properties.redisTimeout()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void the_redis_down_mode_and_node_count_bind_from_lower_case_settings() {
        ThrottleProperties properties = bind(Map.of("apim.gateway.throttle.redis-down", "closed",
                "apim.gateway.throttle.nodes", "3"));

        assertThat(properties.redisDown()).isEqualTo(ThrottleProperties.RedisDown.CLOSED);
        assertThat(properties.nodes()).isEqualTo(3);
    }

    @Test
    void a_node_count_below_one_is_refused() {
        assertThatThrownBy(() -> bind(Map.of("apim.gateway.throttle.nodes", "0")))
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
    }
}
