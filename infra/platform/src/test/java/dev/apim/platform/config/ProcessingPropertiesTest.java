package dev.apim.platform.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code apim.processing.*}: checked at start, and the failover bound it implies. */
class ProcessingPropertiesTest {

    private static ProcessingProperties of(int segments, int threads, Duration timeout, Duration interval) {
        return new ProcessingProperties(segments, threads, timeout, interval, true, null);
    }

    @Test
    void defaults_give_a_twelve_second_takeover_bound() {
        ProcessingProperties defaults = of(1, 0, Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(defaults.effectiveThreads()).isEqualTo(1);
        assertThat(defaults.eventAvailabilityTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.takeoverBound()).isEqualTo(Duration.ofSeconds(12));
        assertThat(of(4, 0, Duration.ofSeconds(2), Duration.ofMillis(500)).eventAvailabilityTimeout())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(of(8, 2, Duration.ofSeconds(10), Duration.ofSeconds(1)).effectiveThreads()).isEqualTo(2);
    }

    @Test
    void bad_values_are_refused() {
        assertThatThrownBy(() -> of(3, 0, Duration.ofSeconds(10), Duration.ofSeconds(1))).hasMessageContaining("power of two");
        assertThatThrownBy(() -> of(128, 0, Duration.ofSeconds(10), Duration.ofSeconds(1))).hasMessageContaining("segments");
        assertThatThrownBy(() -> of(2, 3, Duration.ofSeconds(10), Duration.ofSeconds(1))).hasMessageContaining("threads");
        assertThatThrownBy(() -> of(2, 0, Duration.ofSeconds(1), Duration.ofMillis(200))).hasMessageContaining("claim-timeout");
        assertThatThrownBy(() -> of(2, 0, Duration.ofSeconds(10), Duration.ofSeconds(6))).hasMessageContaining("claim-interval");
        assertThatThrownBy(() -> of(2, 0, Duration.ofSeconds(10), Duration.ofMillis(10))).hasMessageContaining("claim-interval");
    }
}
