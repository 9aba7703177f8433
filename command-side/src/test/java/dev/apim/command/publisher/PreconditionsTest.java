package dev.apim.command.publisher;

import dev.apim.platform.web.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreconditionsTest {

    @Test
    void our_etags_give_the_expected_version() {
        assertThat(Preconditions.expectedVersion("\"3\"")).isEqualTo(3L);
        assertThat(Preconditions.expectedVersion("W/\"12\"")).isEqualTo(12L);
        assertThat(Preconditions.expectedVersion("7")).isEqualTo(7L);
    }

    @Test
    void absent_or_star_means_unconditional() {
        assertThat(Preconditions.expectedVersion(null)).isNull();
        assertThat(Preconditions.expectedVersion(" * ")).isNull();
    }

    @Test
    void anything_else_is_a_bad_request() {
        assertThatThrownBy(() -> Preconditions.expectedVersion("\"abc\"")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Preconditions.expectedVersion("\"99999999999999999999\"")).isInstanceOf(ApiException.class);
    }
}
