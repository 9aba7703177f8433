package dev.apim.gateway.throttle;

import dev.apim.gateway.throttle.ThrottleCounter.Level;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-node limiter on a clock the test moves. */
class LocalThrottlerTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);

    private static ThrottleCounter counter(String key, long limit, Duration window, Level level) {
        return new ThrottleCounter(key, limit, window, 1, level);
    }

    @Test
    void each_node_admits_its_share_of_the_limit_per_epoch_aligned_window() {
        LocalThrottler local = new LocalThrottler(3, now::get);
        List<ThrottleCounter> counters = List.of(counter("sub:a", 10, Duration.ofMinutes(1), Level.SUBSCRIPTION));

        long admitted = 0;
        ThrottleDecision refused = null;
        for (int i = 0; i < 5; i++) {
            ThrottleDecision decision = local.decide(counters);
            if (decision.admitted()) {
                admitted++;
            } else {
                refused = decision;
            }
        }

        assertThat(admitted).as("10 / 3 nodes").isEqualTo(3);
        long windowEnd = (now.get() / 60_000 + 1) * 60_000;
        assertThat(refused.rejectedBy()).isEqualTo(Level.SUBSCRIPTION);
        assertThat(refused.degraded()).isTrue();
        assertThat(refused.reset()).isEqualTo(Instant.ofEpochMilli(windowEnd));
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(windowEnd - now.get()));

        now.set(windowEnd);
        ThrottleDecision next = local.decide(counters);
        assertThat(next.admitted()).isTrue();
        assertThat(next.remaining()).isEqualTo(2);
    }

    @Test
    void a_limit_below_the_node_count_still_admits_one_per_node_and_zero_admits_none() {
        LocalThrottler local = new LocalThrottler(4, now::get);

        assertThat(local.share(2)).isEqualTo(1);
        assertThat(local.share(0)).isZero();
        assertThat(local.decide(List.of(counter("api:z", 0, Duration.ofSeconds(1), Level.API))).admitted()).isFalse();
    }

    @Test
    void a_refused_request_consumes_no_counter() {
        LocalThrottler local = new LocalThrottler(1, now::get);
        ThrottleCounter app = counter("app:a", 5, Duration.ofHours(1), Level.APPLICATION);
        ThrottleCounter burst = counter("burst:a", 1, Duration.ofSeconds(1), Level.BURST);

        assertThat(local.decide(List.of(app, burst)).admitted()).isTrue();
        ThrottleDecision refused = local.decide(List.of(app, burst));
        ThrottleDecision appAlone = local.decide(List.of(app));

        assertThat(refused.rejectedBy()).isEqualTo(Level.BURST);
        assertThat(appAlone.remaining()).isEqualTo(3);
    }

    @Test
    void an_admitted_request_answers_its_most_constraining_counter() {
        LocalThrottler local = new LocalThrottler(1, now::get);

        ThrottleDecision decision = local.decide(List.of(counter("app:b", 100, Duration.ofHours(1), Level.APPLICATION),
                counter("sub:b", 4, Duration.ofMinutes(1), Level.SUBSCRIPTION)));

        assertThat(decision.limit()).isEqualTo(4);
        assertThat(decision.remaining()).isEqualTo(3);
        assertThat(decision.reset()).isEqualTo(Instant.ofEpochMilli((now.get() / 60_000 + 1) * 60_000));
    }
}
