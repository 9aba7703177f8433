package dev.apim.platform.redis;

import dev.apim.platform.broadcast.BroadcastProperties;
import dev.apim.platform.config.ApimProperties;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Redis Cluster's slot rule, the broadcast keys' shared slot, and the validation of {@code apim.redis.*}. */
class ClusterSlotsTest {

    @Test
    void slots_follow_the_redis_cluster_specification() {
        // the specification's example: CRC16("123456789") = 0x31C3
        assertThat(ClusterSlots.slot("123456789")).isEqualTo(0x31C3 % 16384);
        assertThat(ClusterSlots.slot("{user1000}.following")).isEqualTo(ClusterSlots.slot("{user1000}.followers"));
        assertThat(ClusterSlots.hashed("foo{}{bar}")).isEqualTo("foo{}{bar}");
        assertThat(ClusterSlots.hashed("foo{{bar}}zap")).isEqualTo("{bar");
        assertThat(ClusterSlots.hashed("foo{bar}{zap}")).isEqualTo("bar");
    }

    @Test
    void the_broadcast_stream_and_its_companions_share_a_slot_and_a_key_without_tag_is_refused() {
        String key = new BroadcastProperties("apim:broadcast:{notifications}", 100).key();
        assertThat(List.of(key + ":meta", key + ":published")).allMatch(k -> ClusterSlots.slot(k) == ClusterSlots.slot(key));
        assertThatThrownBy(() -> new BroadcastProperties("apim:broadcast", 100))
                .hasMessageContaining("hash tag");
    }

    @Test
    void redis_settings_are_checked_per_mode() {
        assertThat(redis(null, "standalone", List.of(), null).embedded()).isTrue();
        assertThat(redis("redis://h:6379", null, null, null).embedded()).isFalse();
        assertThat(redis(null, "CLUSTER", List.of("redis://a:1", " redis://b:2 "), null).nodes())
                .containsExactly("redis://a:1", "redis://b:2");
        assertThat(redis(null, "sentinel", List.of("rediss://s:26379"), "mymaster").mode()).isEqualTo("sentinel");

        assertThatThrownBy(() -> redis(null, "replicated", List.of(), null)).hasMessageContaining("apim.redis.mode");
        assertThatThrownBy(() -> redis("http://h:1", "standalone", List.of(), null)).hasMessageContaining("redis://");
        assertThatThrownBy(() -> redis(null, "cluster", List.of(), null)).hasMessageContaining("apim.redis.nodes");
        assertThatThrownBy(() -> redis("redis://h:1", "cluster", List.of("redis://a:1"), null))
                .hasMessageContaining("standalone");
        assertThatThrownBy(() -> redis(null, "sentinel", List.of("redis://s:26379"), " "))
                .hasMessageContaining("master-name");
        assertThatThrownBy(() -> redis(null, "cluster", List.of("redis://a:1", "rediss://b:2"), null))
                .hasMessageContaining("all redis://");
        assertThatThrownBy(() -> redis(null, "cluster", List.of("redis://a"), null)).hasMessageContaining("port");
        assertThatThrownBy(() -> redis(null, "standalone", List.of("redis://a:1"), null))
                .hasMessageContaining("apim.redis.url");
    }

    private static ApimProperties.Redis redis(String url, String mode, List<String> nodes, String master) {
        return new ApimProperties.Redis(url, mode, nodes, master, null, null, 0, null, null);
    }
}
