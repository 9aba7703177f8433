package dev.apim.platform.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.platform.jwt.ApplicationClaim;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Port to the OAuth2 clients the Key Manager authenticates: application key mappings (Developer Portal) and
 * management clients registered through DCR. Implemented by the query side's {@code apimgtdb.oauth_client}
 * read model; the Key Manager never reads the event store on a token request.
 */
public interface OAuthClientStore {

    /** The client with this consumer key, active or not; empty when there is none. */
    Mono<OAuthClient> findByConsumerKey(String consumerKey);

    /** What a client is for. */
    enum Kind {
        /** Keys of a Developer Portal application: tokens carry the {@code application} claim. */
        APPLICATION,
        /** A management client from DCR: tokens for the management REST APIs. */
        MANAGEMENT
    }

    /**
     * A client as the Key Manager needs it.
     *
     * @param consumerKey   the OAuth2 {@code client_id}
     * @param secretHash    the slow (Argon2) hash of the consumer secret
     * @param aggregateId   the aggregate that owns the client ({@code ApplicationKeys} or {@code OAuthClient} id)
     * @param tenant        tenant domain of the owner
     * @param owner         the application owner, or the DCR {@code owner}
     * @param clientName    application name, or the DCR {@code clientName}
     * @param keyType       PRODUCTION or SANDBOX (PRODUCTION for management clients)
     * @param grantTypes    grant types the client may use
     * @param callbackUrl   may be null
     * @param lifetimes     resolved token lifetimes
     * @param active        false once revoked, removed or deleted: no token is issued and earlier tokens are dead
     * @param tokensRevokedBefore tokens of this client issued before this instant are revoked; null when none
     * @param application   the {@code application} claim (APPLICATION clients only, else null)
     */
    record OAuthClient(String consumerKey, String secretHash, String aggregateId, Kind kind, String tenant,
                       String owner, String clientName, KeyType keyType, List<String> grantTypes, String callbackUrl,
                       TokenLifetimes lifetimes, boolean active, Instant tokensRevokedBefore,
                       ApplicationClaim application) {

        public OAuthClient {
            Objects.requireNonNull(consumerKey, "consumerKey");
            Objects.requireNonNull(secretHash, "secretHash");
            Objects.requireNonNull(aggregateId, "aggregateId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(keyType, "keyType");
            grantTypes = List.copyOf(grantTypes == null ? List.of() : grantTypes);
            lifetimes = TokenLifetimes.resolve(lifetimes);
            if (kind == Kind.APPLICATION) {
                Objects.requireNonNull(application, "application");
            }
        }

        public boolean allowsGrant(String grantType) {
            return grantTypes.contains(grantType);
        }
    }
}
