package dev.apim.platform.wso2.publisher;

import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiDtoMapperTest {

    private static ApiDto dto(Map<String, Object> endpointConfig) {
        return new ApiDto(null, "Pets", "d", "/pets", "1.0.0", null, null, null, null, null, null, null, null, null,
                null, null, null, List.of("pets"), List.of("Gold"), null, null, null, null, null, null, endpointConfig,
                null, List.of(new ApiDto.OperationDto(null, "/pets", "get", null, null, List.of(), null)),
                List.of(), Map.of("owner", "team-a"), List.of(new ApiDto.AdditionalPropertyDto("k", "v", true)),
                null, null, null);
    }

    @Test
    void endpoint_config_becomes_production_and_sandbox_urls() {
        ApiDefinition d = ApiDtoMapper.toDefinition(dto(Map.of("endpoint_type", "http",
                "production_endpoints", Map.of("url", "http://prod.test/"),
                "sandbox_endpoints", Map.of("url", "http://sandbox.test/"))), "alice");
        assertThat(d.endpoints().productionUrl()).isEqualTo("http://prod.test/");
        assertThat(d.endpoints().sandboxUrl()).isEqualTo("http://sandbox.test/");
        assertThat(d.provider()).isEqualTo("alice");
        assertThat(d.additionalProperties()).containsEntry("k", "v");
    }

    @Test
    void endpoint_config_with_a_non_string_url_is_refused() {
        assertThatThrownBy(() -> ApiDtoMapper.toDefinition(dto(Map.of("production_endpoints", Map.of("url", 5))), "a"))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.INVALID_ENDPOINT_URL));
    }

    @Test
    void unsupported_endpoint_type_is_refused() {
        assertThatThrownBy(() -> ApiDtoMapper.toDefinition(dto(Map.of("endpoint_type", "awslambda")), "a"))
                .isInstanceOf(DomainException.class).hasMessageContaining("endpoint_type");
    }

    @Test
    void a_definition_renders_back_to_the_same_wso2_fields() {
        ApiDefinition d = ApiDtoMapper.toDefinition(dto(Map.of("production_endpoints", Map.of("url", "http://p.test/"))),
                "alice").validated();
        ApiDto out = ApiDtoMapper.toDto("id-1", d, "CREATED", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(2000));
        assertThat(out.id()).isEqualTo("id-1");
        assertThat(out.operations()).extracting(ApiDto.OperationDto::verb).containsExactly("GET");
        assertThat(out.endpointConfig()).containsEntry("production_endpoints", Map.of("url", "http://p.test/"));
        assertThat(out.createdTime()).isEqualTo("1000");
        assertThat(ApiDtoMapper.toDefinition(out, "alice").validated()).isEqualTo(d);
    }
}
