package dev.apim.platform.openapi;

import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;

import java.util.List;

/**
 * What the Publisher takes from an uploaded OpenAPI/Swagger definition.
 *
 * @param specVersion the version the document declared ({@code "2.0"}, {@code "3.0.1"}, {@code "3.1.0"}...)
 * @param title       {@code info.title}, or null
 * @param version     {@code info.version}, or null
 * @param description {@code info.description}, or null
 * @param operations  one per path and verb, in document order
 * @param scopes      the OAuth2 scopes the document declares
 * @param endpoints   production/sandbox URLs from WSO2's extensions or the first absolute server URL;
 *                    never null, either URL may be
 * @param definition  the document as pretty-printed OpenAPI 3 JSON (Swagger 2.0 input is converted)
 * @param warnings    what the parser reported without refusing the document
 */
public record ParsedOpenApi(String specVersion, String title, String version, String description,
                            List<ApiOperation> operations, List<ApiScope> scopes, ApiEndpoints endpoints,
                            String definition, List<String> warnings) {

    public ParsedOpenApi {
        operations = operations == null ? List.of() : List.copyOf(operations);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        endpoints = endpoints == null ? ApiEndpoints.NONE : endpoints;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public String productionUrl() {
        return endpoints.productionUrl();
    }

    public String sandboxUrl() {
        return endpoints.sandboxUrl();
    }
}
