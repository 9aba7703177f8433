package dev.apim.platform.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolesTest {

    @Test
    void all_means_every_role() {
        assertThat(Roles.parse("all")).isEqualTo(Roles.KNOWN);
        assertThat(Roles.parse(null)).isEqualTo(Roles.KNOWN);
    }

    @Test
    void a_list_is_trimmed_and_case_insensitive() {
        assertThat(Roles.parse(" Publisher, gateway ")).containsExactlyInAnyOrder("publisher", "gateway");
    }

    @Test
    void an_unknown_role_is_refused_so_a_typo_cannot_start_an_empty_node() {
        assertThatThrownBy(() -> Roles.parse("publisher,gatway")).hasMessageContaining("gatway");
        assertThatThrownBy(() -> Roles.parse(",")).hasMessageContaining("no role");
    }
}
