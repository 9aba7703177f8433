package dev.apim.domain.api;

import java.util.Set;

/**
 * A document attached to an API (WSO2's Document): inline/markdown content kept by the API, or a link.
 */
public record ApiDocument(String name, String type, String summary, String sourceType, String sourceUrl,
                          String visibility, String otherTypeName) {

    public static final Set<String> TYPES = Set.of("HOWTO", "SAMPLES", "PUBLIC_FORUM", "SUPPORT_FORUM",
            "API_MESSAGE_FORMAT", "SWAGGER_DOC", "OTHER");
    public static final Set<String> SOURCE_TYPES = Set.of("INLINE", "MARKDOWN", "URL");
    public static final Set<String> VISIBILITIES = Set.of("OWNER_ONLY", "PRIVATE", "API_LEVEL");

    public boolean holdsContent() {
        return "INLINE".equals(sourceType) || "MARKDOWN".equals(sourceType);
    }
}
