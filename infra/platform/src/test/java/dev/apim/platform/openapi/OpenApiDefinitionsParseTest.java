package dev.apim.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.ApiOperation;
import dev.apim.domain.api.ApiScope;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiDefinitionsParseTest {

    private static final String DEFAULT_AUTH = ApiOperation.DEFAULT_AUTH_TYPE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiDefinitions definitions = new OpenApiDefinitions();

    static String resource(String name) {
        try (InputStream in = OpenApiDefinitionsParseTest.class.getResourceAsStream("/openapi/" + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private void assertMalformed(String document, String... fragments) {
        assertThatThrownBy(() -> definitions.parse(document))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.error()).isEqualTo(DomainError.API_DEFINITION_MALFORMED);
                    assertThat(e.description()).contains(fragments);
                });
    }

    @Test
    void readsAnOpenApi3YamlPetstore() {
        ParsedOpenApi parsed = definitions.parse(resource("petstore-openapi3.yaml"));

        assertThat(parsed.specVersion()).isEqualTo("3.0.3");
        assertThat(parsed.title()).isEqualTo("Swagger Petstore");
        assertThat(parsed.version()).isEqualTo("1.0.0");
        assertThat(parsed.description()).isEqualTo("A sample pet store used to exercise the OpenAPI import.");
        assertThat(parsed.operations()).containsExactly(
                new ApiOperation("/pets", "GET", DEFAULT_AUTH, "Unlimited", List.of("read:pets")),
                new ApiOperation("/pets", "POST", DEFAULT_AUTH, "Unlimited", List.of("write:pets", "read:pets")),
                new ApiOperation("/pets/{petId}", "GET", DEFAULT_AUTH, "Unlimited", List.of("read:pets")),
                new ApiOperation("/pets/{petId}", "DELETE", DEFAULT_AUTH, "Unlimited", List.of("write:pets")));
        assertThat(parsed.scopes()).containsExactly(
                new ApiScope("write:pets", "write:pets", "modify pets in your account", List.of()),
                new ApiScope("read:pets", "read:pets", "read your pets", List.of()));
        assertThat(parsed.productionUrl()).isEqualTo("https://petstore.example.com/v1");
        assertThat(parsed.sandboxUrl()).isNull();

        JsonNode normalized = json(parsed.definition());
        assertThat(normalized.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(normalized.at("/components/schemas/Pets/items/$ref").asText()).isEqualTo("#/components/schemas/Pet");
        assertThat(parsed.definition()).contains("\n  \"info\""); // pretty-printed
    }

    @Test
    void theNormalizedDefinitionParsesToTheSameResult() {
        ParsedOpenApi first = definitions.parse(resource("petstore-openapi3.yaml"));
        ParsedOpenApi second = definitions.parse(first.definition());

        assertThat(second.operations()).isEqualTo(first.operations());
        assertThat(second.scopes()).isEqualTo(first.scopes());
        assertThat(second.definition()).isEqualTo(first.definition());
    }

    @Test
    void convertsASwagger2JsonDocumentToOpenApi3() {
        ParsedOpenApi parsed = definitions.parse(resource("petstore-swagger2.json"));

        assertThat(parsed.specVersion()).isEqualTo("2.0");
        assertThat(parsed.title()).isEqualTo("Petstore (Swagger 2.0)");
        assertThat(parsed.version()).isEqualTo("2.1");
        assertThat(parsed.operations()).containsExactly(
                new ApiOperation("/pet", "POST", DEFAULT_AUTH, "10KPerMin", List.of("write:pets", "read:pets")),
                new ApiOperation("/pet", "PUT", "Application User", "Unlimited", List.of("write:pets")),
                new ApiOperation("/pet/{petId}", "GET", "None", "Unlimited", List.of()));
        assertThat(parsed.scopes()).extracting(ApiScope::name).containsExactlyInAnyOrder("write:pets", "read:pets");
        assertThat(parsed.productionUrl()).isEqualTo("https://petstore.swagger.example.com/v2");

        JsonNode normalized = json(parsed.definition());
        assertThat(normalized.path("openapi").asText()).startsWith("3.0");
        assertThat(normalized.has("swagger")).isFalse();
        assertThat(normalized.at("/components/schemas/Pet/properties/name/type").asText()).isEqualTo("string");
        // the open operation stays open once converted, so a re-import agrees
        assertThat(normalized.at("/paths/~1pet~1{petId}/get/security").isArray()).isTrue();
        assertThat(definitions.parse(parsed.definition()).operations()).isEqualTo(parsed.operations());
    }

    @Test
    void honoursWso2Extensions() {
        ParsedOpenApi parsed = definitions.parse(resource("wso2-extensions.yaml"));

        assertThat(parsed.version()).as("unquoted YAML 1.10 keeps its digits").isEqualTo("1.10");
        assertThat(parsed.operations()).containsExactly(
                new ApiOperation("/menu", "GET", "None", "Unlimited", List.of()),
                new ApiOperation("/menu", "POST", DEFAULT_AUTH, "50KPerMin", List.of("menu_write")),
                new ApiOperation("/order/{orderId}", "GET", "Application User", "20KPerMin", List.of("order_read")));
        assertThat(parsed.scopes()).containsExactly(
                new ApiScope("menu_write", "Write menu", "Change the menu", List.of("admin", "chef")),
                new ApiScope("order_read", "Read orders", "Read the orders of a customer", List.of("admin", "customer")));
        assertThat(parsed.endpoints().endpointType()).isEqualTo("http");
        assertThat(parsed.productionUrl()).isEqualTo("https://menu.backend.example.com/api");
        assertThat(parsed.sandboxUrl()).isEqualTo("https://sandbox.menu.example.com/api");
    }

    @Test
    void acceptsOpenApi31AndUnquotedSwaggerVersion() {
        String openapi31 = """
                {"openapi": "3.1.0", "info": {"title": "T", "version": "1"},
                 "paths": {"/things/{id}": {"get": {"responses": {"200": {"description": "OK",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
                 "components": {"schemas": {"Thing": {"type": ["object", "null"]}}}}
                """;
        ParsedOpenApi parsed = definitions.parse(openapi31);
        assertThat(parsed.specVersion()).isEqualTo("3.1.0");
        assertThat(parsed.operations()).containsExactly(
                new ApiOperation("/things/{id}", "GET", DEFAULT_AUTH, "Unlimited", List.of()));
        assertThat(json(parsed.definition()).path("openapi").asText()).isEqualTo("3.1.0");

        String swaggerYaml = """
                swagger: 2.0
                info: {title: T, version: 1.0}
                paths:
                  /a:
                    head: {responses: {'200': {description: OK}}}
                    options: {responses: {'200': {description: OK}}}
                """;
        ParsedOpenApi swagger = definitions.parse(swaggerYaml);
        assertThat(swagger.version()).isEqualTo("1.0");
        assertThat(swagger.operations()).extracting(ApiOperation::verb).containsExactly("HEAD", "OPTIONS");
    }

    @Test
    void toleratesAByteOrderMark() {
        String json = "\uFEFF{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"T\", \"version\": \"1\"},"
                + " \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"OK\"}}}}}}";
        assertThat(definitions.parse(json).operations()).hasSize(1);
    }

    @Test
    void usesServerVariablesDefaultsAndIgnoresRelativeServers() {
        String withVariables = """
                openapi: 3.0.1
                info: {title: T, version: "1"}
                servers:
                  - url: "{scheme}://api.example.com:{port}/base"
                    variables:
                      scheme: {default: https, enum: [https, http]}
                      port: {default: "8443"}
                paths: {/a: {get: {responses: {'200': {description: OK}}}}}
                """;
        assertThat(definitions.parse(withVariables).productionUrl()).isEqualTo("https://api.example.com:8443/base");

        String relative = withVariables.replace("\"{scheme}://api.example.com:{port}/base\"", "/base");
        assertThat(definitions.parse(relative).productionUrl()).isNull();
    }

    @Test
    void refusesMalformedYaml() {
        assertMalformed(resource("malformed.yaml"), "neither valid JSON nor valid YAML", "line 8");
    }

    @Test
    void refusesMalformedJson() {
        assertMalformed("{\"openapi\": \"3.0.1\", \"info\": ", "not valid JSON");
        assertMalformed("{\"openapi\": \"3.0.1\"} trailing", "not valid JSON");
    }

    @Test
    void refusesValidYamlThatIsNotOpenApi() {
        assertMalformed(resource("not-openapi.yaml"), "no 'openapi' or 'swagger' version");
    }

    @Test
    void refusesDocumentsWhoseTopLevelIsNotAnObject() {
        assertMalformed("just some words", "not an OpenAPI or Swagger document", "plain value");
        assertMalformed("- openapi: 3.0.1", "a list");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n\t\n"})
    void refusesEmptyInput(String document) {
        assertMalformed(document, "empty");
    }

    @Test
    void refusesUnsupportedVersions() {
        assertMalformed("swagger: '1.2'\ninfo: {title: T, version: '1'}\n", "Swagger version '1.2' is not supported");
        assertMalformed("openapi: 4.0.0\ninfo: {title: T, version: '1'}\n", "OpenAPI version '4.0.0' is not supported");
    }

    @Test
    void refusesADocumentWithoutPaths() {
        assertMalformed(resource("empty-paths.yaml"), "no paths");
        assertMalformed("openapi: 3.0.1\ninfo: {title: T, version: '1'}\n", "no paths");
    }

    @Test
    void refusesPathsWithoutOperations() {
        assertMalformed("""
                openapi: 3.0.1
                info: {title: T, version: '1'}
                paths:
                  /a:
                    summary: nothing to call
                """, "no operations");
    }

    @Test
    void refusesUnsupportedVerbs() {
        assertMalformed("""
                openapi: 3.0.1
                info: {title: T, version: '1'}
                paths:
                  /a:
                    get: {responses: {'200': {description: OK}}}
                    trace: {responses: {'200': {description: OK}}}
                  /b:
                    connect: {responses: {'200': {description: OK}}}
                    GET: {responses: {'200': {description: OK}}}
                """, "TRACE /a", "'connect' under path '/b'", "'GET' under path '/b'");
    }

    @Test
    void refusesAnUnknownAuthTypeAndUndeclaredScopes() {
        assertMalformed("""
                openapi: 3.0.1
                info: {title: T, version: '1'}
                paths:
                  /a:
                    get:
                      x-auth-type: Everybody
                      responses: {'200': {description: OK}}
                    post:
                      x-scope: nowhere
                      responses: {'200': {description: OK}}
                """, "GET /a: x-auth-type 'Everybody'", "POST /a uses scope 'nowhere'");
    }

    @Test
    void listsAtMostFiveProblems() {
        StringBuilder doc = new StringBuilder("openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths:\n");
        for (int i = 0; i < 8; i++) {
            doc.append("  /p").append(i).append(":\n    trace: {responses: {'200': {description: OK}}}\n");
        }
        assertMalformed(doc.toString(), "TRACE /p0", "TRACE /p4", "(and 3 more)");
    }

    @Test
    void refusesDocumentsLargerThanFiveMebibytes() {
        String header = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: OK}}}}}\n# ";
        String padding = "a".repeat(OpenApiDefinitions.MAX_DOCUMENT_BYTES - header.length() + 1);
        assertMalformed(header + padding, "at most 5242880 bytes");

        // multi-byte characters count as bytes, not chars
        String accents = "é".repeat((OpenApiDefinitions.MAX_DOCUMENT_BYTES - header.length()) / 2 + 1);
        assertMalformed(header + accents, "at most 5242880 bytes");
    }

    @Test
    void refusesYamlAliasBombsQuickly() {
        StringBuilder bomb = new StringBuilder("openapi: 3.0.1\ninfo: {title: T, version: '1'}\n");
        bomb.append("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        bomb.append("paths: {/a: {get: {responses: {'200': {description: OK}}}}}\n");
        long start = System.nanoTime();
        assertThatThrownBy(() -> definitions.parse(bomb.toString()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.API_DEFINITION_MALFORMED));
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(5_000);
    }

    @Test
    void refusesDuplicateKeys() {
        assertMalformed("{\"openapi\": \"3.0.1\", \"openapi\": \"3.0.2\", \"paths\": {}}", "not valid JSON");
        assertMalformed("openapi: 3.0.1\nopenapi: 3.0.2\npaths: {}\n", "YAML");
    }

    @Test
    void keepsInternalReferencesUnresolved() {
        ParsedOpenApi parsed = definitions.parse(resource("petstore-openapi3.yaml"));
        JsonNode get = json(parsed.definition()).at("/paths/~1pets/get/responses/200/content/application~1json/schema");
        assertThat(get.path("$ref").asText()).isEqualTo("#/components/schemas/Pets");
    }

    @Test
    void operationsInheritTheDocumentsOauth2Scopes() {
        ParsedOpenApi parsed = definitions.parse("""
                openapi: 3.0.1
                info: {title: T, version: '1'}
                security: [{oauth: [read]}]
                paths:
                  /a:
                    get: {responses: {'200': {description: OK}}}
                    put: {security: [{key: []}], responses: {'200': {description: OK}}}
                components:
                  securitySchemes:
                    key: {type: apiKey, in: header, name: X-Key}
                    oauth:
                      type: oauth2
                      flows:
                        clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {read: ''}}
                """);
        assertThat(parsed.operations()).containsExactly(
                new ApiOperation("/a", "GET", DEFAULT_AUTH, "Unlimited", List.of("read")),
                new ApiOperation("/a", "PUT", DEFAULT_AUTH, "Unlimited", List.of()));
        assertThat(parsed.scopes()).containsExactly(new ApiScope("read", "read", null, List.of()));
    }
}
