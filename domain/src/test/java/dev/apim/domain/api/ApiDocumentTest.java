package dev.apim.domain.api;

import dev.apim.domain.api.command.AddApiDocument;
import dev.apim.domain.api.command.DeleteApiDocument;
import dev.apim.domain.api.command.UpdateApiDocument;
import dev.apim.domain.api.command.UpdateApiDocumentContent;
import dev.apim.domain.api.event.ApiDocumentAdded;
import dev.apim.domain.api.event.ApiDocumentContentUpdated;
import dev.apim.domain.api.event.ApiDocumentDeleted;
import dev.apim.domain.api.event.ApiDocumentUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.apim.domain.api.ApiTestData.API_ID;
import static dev.apim.domain.api.ApiTestData.created;
import static dev.apim.domain.api.ApiTestData.inlineDocument;
import static dev.apim.domain.api.ApiTestData.urlDocument;
import static dev.apim.domain.api.DomainErrorMatcher.domainError;

class ApiDocumentTest {

    private final FixedSubscriptionCheck subscriptionCheck = new FixedSubscriptionCheck();

    private static final String FORUM_URL = "https://forum.example.com/pets";

    private FixtureConfiguration<Api> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Api.class);
        fixture.registerInjectableResource(new InMemoryApiContextRegistry());
        fixture.registerInjectableResource(subscriptionCheck);
    }

    private static ApiDocumentAdded inlineAdded(String documentId, String name) {
        return new ApiDocumentAdded(API_ID, documentId, inlineDocument(name), "# Getting started");
    }

    private static ApiDocumentAdded urlAdded(String documentId, String name) {
        return new ApiDocumentAdded(API_ID, documentId, urlDocument(name, FORUM_URL), null);
    }

    @Test
    void an_inline_document_keeps_its_content() {
        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", inlineDocument("Getting started"), "# Getting started"))
                .expectEvents(inlineAdded("doc-1", "Getting started"));
    }

    @Test
    void a_markdown_document_keeps_its_content() {
        ApiDocument markdown = new ApiDocument("Guide", "HOWTO", null, "MARKDOWN", null, "API_LEVEL", null);

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", markdown, "**bold**"))
                .expectEvents(new ApiDocumentAdded(API_ID, "doc-1", markdown, "**bold**"));
    }

    @Test
    void a_url_document_keeps_its_link_and_no_content() {
        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", urlDocument("Forum", FORUM_URL), "ignored"))
                .expectEvents(urlAdded("doc-1", "Forum"));
    }

    @Test
    void a_url_document_needs_a_source_url() {
        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", urlDocument("Forum", null), null))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_url_document_needs_an_http_url() {
        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", urlDocument("Forum", "ftp://forum.example.com"), null))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void an_inline_document_drops_a_source_url() {
        ApiDocument withUrl = new ApiDocument("Guide", "HOWTO", null, "INLINE", FORUM_URL, null, null);

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", withUrl, "text"))
                .expectEvents(new ApiDocumentAdded(API_ID, "doc-1",
                        new ApiDocument("Guide", "HOWTO", null, "INLINE", null, "API_LEVEL", null), "text"));
    }

    @Test
    void a_document_of_type_other_needs_a_type_name() {
        ApiDocument other = new ApiDocument("Changelog", "OTHER", null, "INLINE", null, "API_LEVEL", null);

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", other, "text"))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_document_of_type_other_with_a_type_name_is_accepted() {
        ApiDocument other = new ApiDocument("Changelog", "OTHER", null, "INLINE", null, "API_LEVEL", "Changelog");

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", other, "text"))
                .expectEvents(new ApiDocumentAdded(API_ID, "doc-1", other, "text"));
    }

    @Test
    void a_document_needs_a_known_type() {
        ApiDocument unknown = new ApiDocument("Guide", "NOVEL", null, "INLINE", null, null, null);

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", unknown, "text"))
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void a_document_needs_a_known_source_type() {
        ApiDocument unknown = new ApiDocument("Guide", "HOWTO", null, "FILE", null, null, null);

        fixture.given(created())
                .when(new AddApiDocument(API_ID, "doc-1", unknown, null))
                .expectException(domainError(DomainError.DOCUMENT_INVALID_SOURCE_TYPE));
    }

    @Test
    void a_document_name_is_unique_within_the_api() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new AddApiDocument(API_ID, "doc-2", inlineDocument("getting STARTED"), "again"))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_ALREADY_EXISTS));
    }

    @Test
    void a_document_id_cannot_be_used_twice() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new AddApiDocument(API_ID, "doc-1", inlineDocument("Another"), "text"))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_ALREADY_EXISTS));
    }

    @Test
    void a_document_can_be_updated() {
        ApiDocument renamed = inlineDocument("First steps");

        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new UpdateApiDocument(API_ID, "doc-1", renamed))
                .expectEvents(new ApiDocumentUpdated(API_ID, "doc-1", renamed));
    }

    @Test
    void a_document_may_keep_its_own_name_when_updated() {
        ApiDocument same = inlineDocument("Getting started");

        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new UpdateApiDocument(API_ID, "doc-1", same))
                .expectEvents(new ApiDocumentUpdated(API_ID, "doc-1", same));
    }

    @Test
    void an_update_may_not_take_another_documents_name() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"), urlAdded("doc-2", "Forum"))
                .when(new UpdateApiDocument(API_ID, "doc-2", urlDocument("Getting Started", FORUM_URL)))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_ALREADY_EXISTS));
    }

    @Test
    void updating_an_unknown_document_is_not_found() {
        fixture.given(created())
                .when(new UpdateApiDocument(API_ID, "doc-9", inlineDocument("Guide")))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_NOT_FOUND));
    }

    @Test
    void a_document_can_be_deleted() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new DeleteApiDocument(API_ID, "doc-1"))
                .expectEvents(new ApiDocumentDeleted(API_ID, "doc-1"));
    }

    @Test
    void a_deleted_document_frees_its_name() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"), new ApiDocumentDeleted(API_ID, "doc-1"))
                .when(new AddApiDocument(API_ID, "doc-2", inlineDocument("Getting started"), "# Getting started"))
                .expectEvents(inlineAdded("doc-2", "Getting started"));
    }

    @Test
    void deleting_an_unknown_document_is_not_found() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"), new ApiDocumentDeleted(API_ID, "doc-1"))
                .when(new DeleteApiDocument(API_ID, "doc-1"))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_NOT_FOUND));
    }

    @Test
    void the_content_of_an_inline_document_can_be_replaced() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new UpdateApiDocumentContent(API_ID, "doc-1", "# Getting started, v2"))
                .expectEvents(new ApiDocumentContentUpdated(API_ID, "doc-1", "# Getting started, v2"));
    }

    @Test
    void a_url_document_holds_no_content() {
        fixture.given(created(), urlAdded("doc-1", "Forum"))
                .when(new UpdateApiDocumentContent(API_ID, "doc-1", "text"))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_INVALID_SOURCE_TYPE));
    }

    @Test
    void replacing_content_needs_content() {
        fixture.given(created(), inlineAdded("doc-1", "Getting started"))
                .when(new UpdateApiDocumentContent(API_ID, "doc-1", null))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void replacing_content_of_an_unknown_document_is_not_found() {
        fixture.given(created())
                .when(new UpdateApiDocumentContent(API_ID, "doc-9", "text"))
                .expectNoEvents()
                .expectException(domainError(DomainError.DOCUMENT_NOT_FOUND));
    }
}
