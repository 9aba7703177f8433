package dev.apim.gateway.state;

import dev.apim.platform.broadcast.InternalData;
import dev.apim.platform.broadcast.InternalKey;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import java.time.Duration;
import java.util.function.Function;

/**
 * The gateway's client of the Traffic Manager's internal data endpoints (reactor-netty), with the internal key.
 * Calls block up to the request timeout: they run on the follower's own thread, never on a request path.
 */
public class InternalDataClient {

    private final WebClient web;
    private final Duration timeout;

    /**
     * @param baseUrl  scheme, host and port of a Traffic Manager's management listener
     * @param trustAll accept any server certificate (only for this node's own loopback listener, which has a
     *                 self-signed certificate)
     */
    public InternalDataClient(String baseUrl, InternalKey key, boolean trustAll, Duration timeout) {
        HttpClient http = HttpClient.create().responseTimeout(timeout);
        if (trustAll) {
            http = http.secure(spec -> {
                try {
                    spec.sslContext(SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build());
                } catch (javax.net.ssl.SSLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        this.web = WebClient.builder().baseUrl(baseUrl + InternalData.BASE)
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader(InternalKey.HEADER, key.value())
                .codecs(c -> c.defaultCodecs().maxInMemorySize(256 * 1024 * 1024))
                .build();
        this.timeout = timeout;
    }

    public InternalData.Snapshot snapshot(String environment, long minIndex) {
        return get(b -> b.path("/snapshot").queryParam("environment", environment).queryParam("minIndex", minIndex)
                .build(), new ParameterizedTypeReference<InternalData.Snapshot>() {});
    }

    public InternalData.One<InternalData.ApiItem> api(String environment, String apiId, long minIndex) {
        return get(b -> b.path("/apis/{id}").queryParam("environment", environment).queryParam("minIndex", minIndex)
                .build(apiId), new ParameterizedTypeReference<InternalData.One<InternalData.ApiItem>>() {});
    }

    public InternalData.One<InternalData.ApplicationItem> application(String id, long minIndex) {
        return one("/applications/{id}", id, minIndex,
                new ParameterizedTypeReference<InternalData.One<InternalData.ApplicationItem>>() {});
    }

    public InternalData.One<InternalData.SubscriptionItem> subscription(String id, long minIndex) {
        return one("/subscriptions/{id}", id, minIndex,
                new ParameterizedTypeReference<InternalData.One<InternalData.SubscriptionItem>>() {});
    }

    public InternalData.One<InternalData.KeyMappingItem> keyMapping(String consumerKey, long minIndex) {
        return one("/key-mappings/{id}", consumerKey, minIndex,
                new ParameterizedTypeReference<InternalData.One<InternalData.KeyMappingItem>>() {});
    }

    public InternalData.One<InternalData.PolicyItem> policy(String policyId, long minIndex) {
        return one("/policies/{id}", policyId, minIndex,
                new ParameterizedTypeReference<InternalData.One<InternalData.PolicyItem>>() {});
    }

    public InternalData.One<InternalData.BlockConditionItem> blockCondition(String id, long minIndex) {
        return one("/block-conditions/{id}", id, minIndex,
                new ParameterizedTypeReference<InternalData.One<InternalData.BlockConditionItem>>() {});
    }

    private <T> T one(String path, String id, long minIndex, ParameterizedTypeReference<T> type) {
        return get(b -> b.path(path).queryParam("minIndex", minIndex).build(id), type);
    }

    private <T> T get(Function<org.springframework.web.util.UriBuilder, java.net.URI> uri,
                      ParameterizedTypeReference<T> type) {
        T body = web.get().uri(uri).retrieve().bodyToMono(type).block(timeout);
        if (body == null) {
            throw new IllegalStateException("Empty answer from the internal data endpoints");
        }
        return body;
    }
}
