package dev.apim.domain.api;

/**
 * Where the gateway sends traffic: the production and the sandbox endpoint of an API. Either may be
 * absent; publishing needs a production endpoint.
 */
public record ApiEndpoints(String endpointType, String productionUrl, String sandboxUrl) {

    public static final ApiEndpoints NONE = new ApiEndpoints("http", null, null);

    public boolean hasProduction() {
        return productionUrl != null && !productionUrl.isBlank();
    }

    public boolean hasSandbox() {
        return sandboxUrl != null && !sandboxUrl.isBlank();
    }
}
