package dev.apim.query.publisher;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** How a document's content is answered, in both portals: a link is a redirect, inline text is the body. */
public final class DocumentContent {

    private DocumentContent() {}

    public static ResponseEntity<String> response(ApiReadModel.DocumentRow doc) {
        if ("URL".equals(doc.sourceType())) {
            return ResponseEntity.status(303).header(HttpHeaders.LOCATION, doc.sourceUrl()).build();
        }
        if (doc.inlineContent() == null) {
            throw DomainException.of(DomainError.DOCUMENT_CONTENT_NOT_FOUND, "Document %s has no content",
                    doc.documentId());
        }
        MediaType type = "MARKDOWN".equals(doc.sourceType()) ? MediaType.parseMediaType("text/markdown")
                : MediaType.TEXT_PLAIN;
        return ResponseEntity.ok().contentType(type).body(doc.inlineContent());
    }
}
