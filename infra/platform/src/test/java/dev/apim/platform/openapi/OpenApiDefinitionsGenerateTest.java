package dev.apim.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.apim.platform.openapi.OpenApiDefinitionsParseTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiDefinitionsGenerateTest {

    private static final String DEFAULT_AUTH = ApiOperation.DEFAULT_AUTH_TYPE;

    private final OpenApiDefinitions definitions = new OpenApiDefinitions();

    static ApiDefinition api(String context, List<ApiOperation> operations, List<ApiScope> scopes,
                             ApiEndpoints endpoints) {
        return new ApiDefinition("Menu", "Pizza menu", context, "1.0.0", "admin", "HTTP", null, null, null, null,
                null, null, null, null, false, endpoints, operations, scopes, Map.of(), Map.of());
    }

    static ApiDefinition menuApi() {
        return api("/menu",
                List.of(
                        new ApiOperation("/menu", "GET", "None", "Unlimited", List.of()),
                        new ApiOperation("/menu", "post", null, "50KPerMin", List.of("menu_write")),
                        new ApiOperation("/menu/{itemId}", "GET", "Application", "Gold", List.of("menu_read")),
                        new ApiOperation("/menu/{itemId}", "DELETE", DEFAULT_AUTH, null, List.of("menu_write", "menu_read")),
                        new ApiOperation("/orders/{orderId}/items/{itemId}", "PATCH", "Application User", "Unlimited", List.of()),
                        new ApiOperation("/search?q={query}", "GET", "Any", "Unlimited", List.of())),
                List.of(new ApiScope("menu_write", "menu_write", "Change the menu", List.of("admin", "chef")),
                        new ApiScope("menu_read", "menu_read", null, List.of())),
                new ApiEndpoints("http", "https://backend.example.com/menu", "https://sandbox.example.com/menu"));
    }

    @Test
    void generatesWso2StyleOpenApi3() {
        JsonNode doc = json(definitions.generate(menuApi().validated()));

        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.1");
        assertThat(doc.at("/info/title").asText()).isEqualTo("Menu");
        assertThat(doc.at("/info/version").asText()).isEqualTo("1.0.0");
        assertThat(doc.at("/info/description").asText()).isEqualTo("Pizza menu");
        assertThat(doc.path("paths").fieldNames()).toIterable()
                .containsExactly("/menu", "/menu/{itemId}", "/orders/{orderId}/items/{itemId}", "/search?q={query}");
        assertThat(doc.at("/paths/~1menu").fieldNames()).toIterable().containsExactly("get", "post");

        JsonNode open = doc.at("/paths/~1menu/get");
        assertThat(open.path("security").isArray()).isTrue();
        assertThat(open.path("security")).isEmpty();
        assertThat(open.path("x-auth-type").asText()).isEqualTo("None");
        assertThat(open.path("x-throttling-tier").asText()).isEqualTo("Unlimited");
        assertThat(open.at("/responses/200/description").asText()).isEqualTo("OK");

        JsonNode post = doc.at("/paths/~1menu/post");
        assertThat(post.path("x-auth-type").asText()).isEqualTo(DEFAULT_AUTH);
        assertThat(post.path("x-throttling-tier").asText()).isEqualTo("50KPerMin");
        assertThat(post.at("/security/0/default/0").asText()).isEqualTo("menu_write");

        JsonNode delete = doc.at("/paths/~1menu~1{itemId}/delete");
        assertThat(delete.at("/security/0/default")).extracting(JsonNode::asText).containsExactly("menu_write", "menu_read");
        assertThat(delete.at("/parameters/0/name").asText()).isEqualTo("itemId");
        assertThat(delete.at("/parameters/0/in").asText()).isEqualTo("path");
        assertThat(delete.at("/parameters/0/required").asBoolean()).isTrue();
        assertThat(delete.at("/parameters/0/schema/type").asText()).isEqualTo("string");

        JsonNode patch = doc.at("/paths/~1orders~1{orderId}~1items~1{itemId}/patch");
        assertThat(patch.path("parameters")).extracting(p -> p.path("name").asText()).containsExactly("orderId", "itemId");
        JsonNode search = doc.at("/paths/~1search?q={query}/get");
        assertThat(search.at("/parameters/0/name").asText()).isEqualTo("query");
        assertThat(search.at("/parameters/0/in").asText()).isEqualTo("path");

        JsonNode scheme = doc.at("/components/securitySchemes/default");
        assertThat(scheme.path("type").asText()).isEqualTo("oauth2");
        assertThat(scheme.at("/flows/implicit/authorizationUrl").asText()).isEqualTo("https://test.com");
        assertThat(scheme.at("/flows/implicit/scopes/menu_write").asText()).isEqualTo("Change the menu");
        assertThat(scheme.at("/flows/implicit/scopes/menu_read").asText()).isEmpty();
        assertThat(scheme.at("/flows/implicit/x-scopes-bindings/menu_write").asText()).isEqualTo("admin,chef");

        assertThat(doc.path("x-wso2-basePath").asText()).isEqualTo("/menu/1.0.0");
        assertThat(doc.at("/x-wso2-production-endpoints/urls/0").asText()).isEqualTo("https://backend.example.com/menu");
        assertThat(doc.at("/x-wso2-production-endpoints/type").asText()).isEqualTo("http");
        assertThat(doc.at("/x-wso2-sandbox-endpoints/urls/0").asText()).isEqualTo("https://sandbox.example.com/menu");
    }

    @Test
    void roundTripsOperationsScopesAndEndpoints() {
        ApiDefinition def = menuApi().validated();

        ParsedOpenApi parsed = definitions.parse(definitions.generate(def));

        assertThat(parsed.operations()).isEqualTo(def.operations());
        assertThat(parsed.scopes()).isEqualTo(def.scopes());
        assertThat(parsed.endpoints()).isEqualTo(def.endpoints());
        assertThat(parsed.title()).isEqualTo(def.name());
        assertThat(parsed.version()).isEqualTo(def.version());
        assertThat(parsed.description()).isEqualTo(def.description());
        assertThat(parsed.warnings()).isEmpty();
    }

    @Test
    void roundTripsWso2DefaultResourcesOfAnApiCreatedWithoutAny() {
        ApiDefinition def = api("/shop/{version}", List.of(), List.of(), null).validated();

        String generated = definitions.generate(def);

        assertThat(definitions.parse(generated).operations()).isEqualTo(def.operations()).hasSize(5);
        assertThat(json(generated).path("x-wso2-basePath").asText()).isEqualTo("/shop/1.0.0");
        assertThat(json(generated).has("x-wso2-production-endpoints")).isFalse();
        assertThat(json(generated).has("x-wso2-sandbox-endpoints")).isFalse();
    }

    @Test
    void operationsOfOneTargetThatAreNotAdjacentComeBackGroupedByPath() {
        List<ApiOperation> scattered = List.of(
                new ApiOperation("/a", "POST", DEFAULT_AUTH, "Unlimited", List.of()),
                new ApiOperation("/b", "GET", DEFAULT_AUTH, "Unlimited", List.of()),
                new ApiOperation("/a", "GET", "None", "Unlimited", List.of()));
        ApiDefinition def = api("/x", scattered, List.of(), null).validated();

        List<ApiOperation> parsed = definitions.parse(definitions.generate(def)).operations();

        assertThat(parsed).containsExactlyInAnyOrderElementsOf(def.operations());
        assertThat(parsed).extracting(ApiOperation::key).containsExactly("POST /a", "GET /a", "GET /b");
    }

    @Test
    void refusesOperationsItCannotWrite() {
        ApiDefinition trace = api("/x", List.of(new ApiOperation("/a", "TRACE", null, null, null)), List.of(), null);
        assertThatThrownBy(() -> definitions.generate(trace))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.INVALID_OPERATION));

        List<ApiOperation> twice = new ArrayList<>();
        twice.add(new ApiOperation("/a", "get", null, null, null));
        twice.add(new ApiOperation("/a", "GET", null, null, null));
        assertThatThrownBy(() -> definitions.generate(api("/x", twice, List.of(), null)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.description()).contains("GET /a is defined twice"));
    }
}
