package dev.apim.platform.wso2.publisher;

import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between WSO2's Publisher {@link ApiDto} and the domain's {@link ApiDefinition}. Both the command
 * side (responses to writes) and the query side (reads) render APIs through here, so they agree.
 */
public final class ApiDtoMapper {

    private ApiDtoMapper() {}

    /** The domain definition a create or update request asks for; {@code provider} fills a missing provider. */
    public static ApiDefinition toDefinition(ApiDto dto, String provider) {
        if (dto == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "A request body with the API is required");
        }
        List<ApiOperation> operations = new ArrayList<>();
        if (dto.operations() != null) {
            for (ApiDto.OperationDto op : dto.operations()) {
                if (op == null) {
                    throw DomainException.of(DomainError.INVALID_OPERATION, "'operations' contains a null entry");
                }
                operations.add(new ApiOperation(op.target(), op.verb(), op.authType(), op.throttlingPolicy(),
                        op.scopes()));
            }
        }
        List<ApiScope> scopes = new ArrayList<>();
        if (dto.scopes() != null) {
            for (ApiDto.ScopeEntryDto entry : dto.scopes()) {
                if (entry == null || entry.scope() == null) {
                    throw DomainException.of(DomainError.INVALID_INPUT, "'scopes' entries need a 'scope' object");
                }
                ApiDto.ScopeDto s = entry.scope();
                scopes.add(new ApiScope(s.name(), s.displayName(), s.description(), s.bindings()));
            }
        }
        Map<String, String> additional = new LinkedHashMap<>();
        if (dto.additionalPropertiesMap() != null) {
            additional.putAll(dto.additionalPropertiesMap());
        }
        if (dto.additionalProperties() != null) {
            for (ApiDto.AdditionalPropertyDto p : dto.additionalProperties()) {
                if (p == null || p.name() == null || p.name().isBlank()) {
                    throw DomainException.of(DomainError.INVALID_INPUT, "'additionalProperties' entries need a 'name'");
                }
                additional.put(p.name(), p.value());
            }
        }
        String owner = dto.provider() == null || dto.provider().isBlank() ? provider : dto.provider();
        return new ApiDefinition(dto.name(), dto.description(), dto.context(), dto.version(), owner, dto.type(),
                dto.transport(), dto.tags(), dto.policies(), dto.apiThrottlingPolicy(), dto.authorizationHeader(),
                dto.securityScheme(), dto.visibility(), dto.visibleRoles(), Boolean.TRUE.equals(dto.isDefaultVersion()),
                endpoints(dto.endpointConfig()), operations, scopes, dto.businessInformation(), additional);
    }

    /** WSO2's representation of a stored API. */
    public static ApiDto toDto(String apiId, ApiDefinition d, String lifecycleStatus, Instant created, Instant updated) {
        List<ApiDto.OperationDto> operations = d.operations().stream()
                .map(op -> new ApiDto.OperationDto(null, op.target(), op.verb(), op.authType(), op.throttlingPolicy(),
                        op.scopes(), List.of()))
                .toList();
        List<ApiDto.ScopeEntryDto> scopes = d.scopes().stream()
                .map(s -> new ApiDto.ScopeEntryDto(new ApiDto.ScopeDto(null, s.name(), s.displayName(), s.description(),
                        s.bindings(), 0), false))
                .toList();
        List<ApiDto.AdditionalPropertyDto> additional = d.additionalProperties().entrySet().stream()
                .map(e -> new ApiDto.AdditionalPropertyDto(e.getKey(), e.getValue(), false))
                .toList();
        return new ApiDto(apiId, d.name(), d.description(), d.context(), d.version(), d.provider(), lifecycleStatus,
                false, 300, false, d.isDefaultVersion(), false, null, null, false, d.type(), d.transport(), d.tags(),
                d.policies(), d.apiThrottlingPolicy(), d.authorizationHeader(), d.securityScheme(), d.visibility(),
                d.visibleRoles(), List.of(), endpointConfig(d.endpoints()), "ENDPOINT", operations, scopes,
                d.businessInformation(), additional, d.additionalProperties(), epochMillis(created),
                epochMillis(updated));
    }

    /** WSO2's {@code endpointConfig} object for the endpoints, or null when there are none. */
    public static Map<String, Object> endpointConfig(ApiEndpoints endpoints) {
        if (!endpoints.hasProduction() && !endpoints.hasSandbox()) {
            return null;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("endpoint_type", endpoints.endpointType() == null ? "http" : endpoints.endpointType());
        if (endpoints.hasProduction()) {
            config.put("production_endpoints", Map.of("url", endpoints.productionUrl()));
        }
        if (endpoints.hasSandbox()) {
            config.put("sandbox_endpoints", Map.of("url", endpoints.sandboxUrl()));
        }
        return config;
    }

    static ApiEndpoints endpoints(Map<String, Object> config) {
        if (config == null || config.isEmpty()) {
            return ApiEndpoints.NONE;
        }
        Object type = config.getOrDefault("endpoint_type", "http");
        if (!(type instanceof String endpointType) || !(endpointType.equals("http") || endpointType.equals("address"))) {
            throw DomainException.of(DomainError.INVALID_ENDPOINT_URL,
                    "endpointConfig.endpoint_type must be \"http\" or \"address\"");
        }
        return new ApiEndpoints(endpointType, url(config, "production_endpoints"), url(config, "sandbox_endpoints"));
    }

    private static String url(Map<String, Object> config, String key) {
        Object value = config.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
            if (value == null) {
                return null;
            }
        }
        if (value instanceof Map<?, ?> map && (map.get("url") == null || map.get("url") instanceof String)) {
            return (String) map.get("url");
        }
        throw DomainException.of(DomainError.INVALID_ENDPOINT_URL,
                "endpointConfig.%s must be an object with a string 'url'", key);
    }

    private static String epochMillis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }
}
