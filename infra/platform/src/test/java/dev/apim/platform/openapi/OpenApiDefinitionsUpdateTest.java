package dev.apim.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apim.domain.api.ApiDefinition;
import dev.apim.domain.api.ApiEndpoints;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.apim.platform.openapi.OpenApiDefinitionsGenerateTest.api;
import static dev.apim.platform.openapi.OpenApiDefinitionsGenerateTest.menuApi;
import static dev.apim.platform.openapi.OpenApiDefinitionsParseTest.json;
import static dev.apim.platform.openapi.OpenApiDefinitionsParseTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDefinitionsUpdateTest {

    private static final String DEFAULT_AUTH = ApiOperation.DEFAULT_AUTH_TYPE;
    private static final List<ApiScope> PETSTORE_SCOPES = List.of(
            new ApiScope("write:pets", "write:pets", "modify pets in your account", List.of()),
            new ApiScope("read:pets", "read:pets", "read your pets", List.of()));

    private final OpenApiDefinitions definitions = new OpenApiDefinitions();

    private static ApiDefinition petstore(List<ApiOperation> operations, List<ApiScope> scopes) {
        return new ApiDefinition("PetstoreAPI", "Pets, as the Publisher now describes them", "/petstore", "2.0.0",
                "admin", "HTTP", null, null, null, null, null, null, null, null, false,
                new ApiEndpoints("http", "https://pets.backend.example.com", null), operations, scopes, null, null)
                .validated();
    }

    @Test
    void withoutAnExistingDocumentItGenerates() {
        ApiDefinition def = menuApi().validated();
        assertThat(definitions.update(null, def)).isEqualTo(definitions.generate(def));
    }

    @Test
    void keepsTheProvidersSchemasAndDescriptionsWhileAddingAndRemovingVerbs() {
        ApiDefinition def = petstore(List.of(
                new ApiOperation("/pets", "GET", "Application", "Gold", List.of("read:pets")),
                new ApiOperation("/pets", "POST", DEFAULT_AUTH, "Unlimited", List.of("write:pets", "read:pets")),
                new ApiOperation("/pets/{petId}", "GET", DEFAULT_AUTH, "Unlimited", List.of("read:pets")),
                new ApiOperation("/pets/{petId}", "PATCH", DEFAULT_AUTH, "Silver", List.of("write:pets")),
                new ApiOperation("/stores/{storeId}", "GET", "None", "Unlimited", List.of())), PETSTORE_SCOPES);

        String updated = definitions.update(resource("petstore-openapi3.yaml"), def);
        JsonNode doc = json(updated);

        // what the Publisher owns follows the API
        assertThat(doc.at("/info/title").asText()).isEqualTo("PetstoreAPI");
        assertThat(doc.at("/info/version").asText()).isEqualTo("2.0.0");
        assertThat(doc.at("/info/description").asText()).isEqualTo("Pets, as the Publisher now describes them");
        assertThat(doc.at("/paths/~1pets~1{petId}").has("delete")).isFalse();
        assertThat(doc.at("/paths/~1pets~1{petId}").fieldNames()).toIterable().containsExactly("get", "patch");
        assertThat(doc.at("/paths/~1pets/get/x-auth-type").asText()).isEqualTo("Application");
        assertThat(doc.at("/paths/~1pets/get/x-throttling-tier").asText()).isEqualTo("Gold");
        assertThat(doc.at("/paths/~1pets~1{petId}/patch/parameters/0/name").asText()).isEqualTo("petId");
        assertThat(doc.at("/paths/~1pets~1{petId}/patch/x-throttling-tier").asText()).isEqualTo("Silver");
        assertThat(doc.at("/paths/~1stores~1{storeId}/get/security")).isEmpty();
        assertThat(doc.at("/paths/~1stores~1{storeId}/get/x-auth-type").asText()).isEqualTo("None");
        assertThat(doc.at("/components/securitySchemes/default/flows/implicit/scopes").fieldNames()).toIterable()
                .containsExactly("write:pets", "read:pets");
        assertThat(doc.path("x-wso2-basePath").asText()).isEqualTo("/petstore/2.0.0");
        assertThat(doc.at("/x-wso2-production-endpoints/urls/0").asText()).isEqualTo("https://pets.backend.example.com");

        // what the provider wrote is kept
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(doc.at("/components/schemas/Pet/description").asText())
                .isEqualTo("A pet in the store, as the provider designed it.");
        assertThat(doc.at("/components/schemas/Pets/items/$ref").asText()).isEqualTo("#/components/schemas/Pet");
        assertThat(doc.at("/paths/~1pets/get/summary").asText()).isEqualTo("List all pets");
        assertThat(doc.at("/paths/~1pets/get/operationId").asText()).isEqualTo("listPets");
        assertThat(doc.at("/paths/~1pets/get/parameters/0/name").asText()).isEqualTo("limit");
        assertThat(doc.at("/paths/~1pets/get/responses/default/description").asText()).isEqualTo("unexpected error");
        assertThat(doc.at("/paths/~1pets~1{petId}/get/parameters/0/description").asText())
                .isEqualTo("The id of the pet to retrieve");
        assertThat(doc.at("/paths/~1pets/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/Pet");
        assertThat(doc.at("/components/securitySchemes/petstore_auth/flows/implicit/authorizationUrl").asText())
                .isEqualTo("https://auth.example.com/oauth/authorize");
        assertThat(doc.at("/servers/0/url").asText()).isEqualTo("https://petstore.example.com/v1");

        // and the document reads back as the API
        ParsedOpenApi reparsed = definitions.parse(updated);
        assertThat(reparsed.operations()).isEqualTo(def.operations());
        assertThat(reparsed.scopes()).isEqualTo(def.scopes());
        assertThat(reparsed.productionUrl()).isEqualTo("https://pets.backend.example.com");
    }

    @Test
    void removedScopesDisappearFromEveryOauth2Scheme() {
        ApiDefinition def = petstore(List.of(
                new ApiOperation("/pets", "POST", DEFAULT_AUTH, "Unlimited", List.of("read:pets"))),
                List.of(PETSTORE_SCOPES.get(1)));

        String updated = definitions.update(resource("petstore-openapi3.yaml"), def);
        JsonNode doc = json(updated);

        assertThat(doc.path("paths").fieldNames()).toIterable().containsExactly("/pets");
        assertThat(doc.at("/components/securitySchemes/petstore_auth/flows/implicit/scopes").fieldNames()).toIterable()
                .containsExactly("read:pets");
        assertThat(doc.at("/paths/~1pets/post/security/1/petstore_auth")).extracting(JsonNode::asText)
                .containsExactly("read:pets");
        ParsedOpenApi reparsed = definitions.parse(updated);
        assertThat(reparsed.operations()).isEqualTo(def.operations());
        assertThat(reparsed.scopes()).isEqualTo(def.scopes());
    }

    @Test
    void keepsWso2ExtensionsInStep() {
        ParsedOpenApi original = definitions.parse(resource("wso2-extensions.yaml"));
        List<ApiScope> scopes = original.scopes();
        ApiDefinition def = api("/menu", List.of(
                new ApiOperation("/menu", "GET", DEFAULT_AUTH, "Unlimited", List.of("order_read")),
                new ApiOperation("/order/{orderId}", "GET", "Application User", "20KPerMin", List.of())),
                scopes, new ApiEndpoints("http", "https://menu.backend.example.com/api", null)).validated();

        String updated = definitions.update(resource("wso2-extensions.yaml"), def);
        JsonNode doc = json(updated);

        assertThat(doc.at("/paths/~1order~1{orderId}/get").has("x-scope")).isFalse();
        assertThat(doc.at("/paths/~1order~1{orderId}/get/parameters/0/style").asText()).isEqualTo("simple");
        assertThat(doc.at("/paths/~1menu/get/security/0/default/0").asText()).isEqualTo("order_read");
        assertThat(doc.at("/x-wso2-security/apim/x-wso2-scopes/1/roles").asText()).isEqualTo("admin,customer");
        assertThat(doc.has("x-wso2-sandbox-endpoints")).isFalse();
        ParsedOpenApi reparsed = definitions.parse(updated);
        assertThat(reparsed.operations()).isEqualTo(def.operations());
        assertThat(reparsed.scopes()).isEqualTo(scopes);
        assertThat(reparsed.sandboxUrl()).isNull();
    }

    @Test
    void aSwagger2DocumentComesBackAsOpenApi3() {
        ApiDefinition def = petstore(List.of(
                new ApiOperation("/pet", "PUT", "Application User", "Unlimited", List.of("write:pets")),
                new ApiOperation("/pet/{petId}", "GET", "None", "Unlimited", List.of()),
                new ApiOperation("/pet/{petId}", "DELETE", DEFAULT_AUTH, "Unlimited", List.of("write:pets"))),
                PETSTORE_SCOPES);

        String updated = definitions.update(resource("petstore-swagger2.json"), def);
        JsonNode doc = json(updated);

        assertThat(doc.path("openapi").asText()).startsWith("3.0");
        assertThat(doc.at("/components/schemas/Pet/required/0").asText()).isEqualTo("name");
        assertThat(doc.at("/paths/~1pet/put/summary").asText()).isEqualTo("Update an existing pet");
        assertThat(definitions.parse(updated).operations()).isEqualTo(def.operations());
    }

    @Test
    void updatesAnOpenApi31DocumentInItsOwnVersion() {
        String doc31 = """
                {"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
                 "paths": {"/things": {"get": {"description": "all things", "responses": {"200": {"description": "OK"}}}}},
                 "components": {"schemas": {"Thing": {"type": ["object", "null"]}}}}
                """;
        ApiDefinition def = api("/things", List.of(
                new ApiOperation("/things", "GET", DEFAULT_AUTH, "Unlimited", List.of()),
                new ApiOperation("/things/{id}", "PUT", DEFAULT_AUTH, "Unlimited", List.of())), List.of(), null)
                .validated();

        String updated = definitions.update(doc31, def);
        JsonNode doc = json(updated);

        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/components/schemas/Thing/type")).extracting(JsonNode::asText).containsExactly("object", "null");
        assertThat(doc.at("/paths/~1things/get/description").asText()).isEqualTo("all things");
        assertThat(doc.at("/paths/~1things~1{id}/put/parameters/0/schema/type").asText()).isEqualTo("string");
        assertThat(definitions.parse(updated).operations()).isEqualTo(def.operations());
    }
}
