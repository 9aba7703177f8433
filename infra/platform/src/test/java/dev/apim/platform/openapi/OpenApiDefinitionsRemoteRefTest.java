package dev.apim.platform.openapi;

import com.sun.net.httpserver.HttpServer;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.apim.platform.openapi.OpenApiDefinitionsParseTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A {@code $ref} to another document must be refused without the document ever being fetched. */
class OpenApiDefinitionsRemoteRefTest {

    private final OpenApiDefinitions definitions = new OpenApiDefinitions();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @BeforeEach
    void startAServerThatCountsRequests() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "Pet: {type: object}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void refusesRemoteAndFileReferencesWithoutFetchingThem() {
        String document = resource("remote-ref.yaml").replace("${PORT}", String.valueOf(server.getAddress().getPort()));

        assertThatThrownBy(() -> definitions.parse(document))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.error()).isEqualTo(DomainError.API_DEFINITION_MALFORMED);
                    assertThat(e.description())
                            .contains("external documents")
                            .contains("http://127.0.0.1:" + server.getAddress().getPort() + "/schemas/pet.yaml#/Pet")
                            .contains("file:///etc/passwd");
                });
        assertThat(requests).as("requests that reached the server").hasValue(0);
    }

    @Test
    void updateRefusesThemToo() {
        String document = resource("remote-ref.yaml").replace("${PORT}", String.valueOf(server.getAddress().getPort()));

        assertThatThrownBy(() -> definitions.update(document, OpenApiDefinitionsGenerateTest.menuApi()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.error()).isEqualTo(DomainError.API_DEFINITION_MALFORMED));
        assertThat(requests).hasValue(0);
    }

    @Test
    void refusesRelativeFileReferencesInSwagger2() {
        String swagger = """
                {"swagger": "2.0", "info": {"title": "T", "version": "1"},
                 "paths": {"/a": {"get": {"responses": {"200": {"description": "OK",
                    "schema": {"$ref": "definitions.json#/Pet"}}}}}}}
                """;
        assertThatThrownBy(() -> definitions.parse(swagger))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.error()).isEqualTo(DomainError.API_DEFINITION_MALFORMED);
                    assertThat(e.description()).contains("'definitions.json#/Pet' at /paths/~1a/get/responses/200/schema");
                });
    }

    @Test
    void aRefInsideAnExampleOrAnExtensionIsDataNotAReference() {
        String document = """
                openapi: 3.0.1
                info: {title: T, version: '1'}
                paths:
                  /a:
                    get:
                      x-wso2-note: {$ref: 'http://example.com/not-fetched'}
                      responses:
                        '200':
                          description: OK
                          content:
                            application/json:
                              example: {$ref: 'http://example.com/just-data'}
                """;
        assertThat(definitions.parse(document).operations()).hasSize(1);
        assertThat(requests).hasValue(0);
    }
}
