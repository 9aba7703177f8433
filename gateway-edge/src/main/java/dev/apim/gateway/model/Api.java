package dev.apim.gateway.model;

import java.util.List;
import java.util.Objects;

/**
 * An API as a gateway serves it: the definition of the revision deployed to this gateway's environment.
 *
 * @param context         the full context the gateway serves, version included ({@code ApiDefinition#gatewayContext},
 *                        e.g. {@code /pizzashack/1.0.0}, or {@code /v1.0.0/pizzashack} for a {@code {version}} context)
 * @param defaultVersion  also served at {@code context} without its {@code /<version>} segment
 * @param lifecycleStatus PUBLISHED, PROTOTYPED, BLOCKED, DEPRECATED, ... (BLOCKED is refused with 503/700700 like
 *                        WSO2)
 * @param apiPolicy       the API-level advanced policy name, or null (then resource policies apply)
 * @param productionUrl   production endpoint base URL, or null
 * @param sandboxUrl      sandbox endpoint base URL, or null
 */
public record Api(String apiId, String tenant, String name, String context, String version, boolean defaultVersion,
                  String lifecycleStatus, String revisionId, String apiPolicy, String productionUrl,
                  String sandboxUrl, List<Resource> resources) {

    public Api {
        Objects.requireNonNull(apiId, "apiId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(version, "version");
        resources = List.copyOf(resources == null ? List.of() : resources);
    }

    /**
     * One operation.
     *
     * @param verb        GET, POST, ... (upper case)
     * @param uriTemplate WSO2 template relative to the context: {@code /orders/{id}}, {@code /*}, {@code /menu}
     * @param secured     false when the operation's auth type is None (no token needed)
     * @param policy      the resource-level advanced policy name ({@code Unlimited} when none)
     * @param scopes      a token needs one of them when not empty
     */
    public record Resource(String verb, String uriTemplate, boolean secured, String policy, List<String> scopes) {
        public Resource {
            Objects.requireNonNull(verb, "verb");
            Objects.requireNonNull(uriTemplate, "uriTemplate");
            scopes = List.copyOf(scopes == null ? List.of() : scopes);
        }
    }
}
