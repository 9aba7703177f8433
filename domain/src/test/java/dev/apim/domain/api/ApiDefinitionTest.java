package dev.apim.domain.api;

import org.junit.jupiter.api.Test;

import static dev.apim.domain.api.ApiTestData.aDefinition;
import static org.assertj.core.api.Assertions.assertThat;

class ApiDefinitionTest {

    @Test
    void the_gateway_context_appends_the_version() {
        assertThat(aDefinition().context("/pets").version("1.0.0").build().gatewayContext())
                .isEqualTo("/pets/1.0.0");
    }

    @Test
    void the_gateway_context_fills_in_the_version_template() {
        assertThat(aDefinition().context("/pets/{version}/x").version("1.0.0").build().gatewayContext())
                .isEqualTo("/pets/1.0.0/x");
    }

    @Test
    void the_gateway_context_may_start_with_the_version() {
        assertThat(aDefinition().context("/{version}/pets").version("v2").build().gatewayContext())
                .isEqualTo("/v2/pets");
    }

    @Test
    void validating_twice_changes_nothing() {
        ApiDefinition validated = aDefinition().operations(ApiTestData.operation("get", "/pets")).build().validated();

        assertThat(validated.validated()).isEqualTo(validated);
    }

    @Test
    void validation_trims_the_name() {
        assertThat(aDefinition().name("  PetStore ").build().validated().name()).isEqualTo("PetStore");
    }
}
