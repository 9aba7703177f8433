package dev.apim.command.oauth;

import dev.apim.command.keys.KeyMappingLookup;
import dev.apim.domain.keys.GrantTypes;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.jwt.InvalidTokenException;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.VerifiedToken;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.ApiException;
import dev.apim.platform.wso2.devportal.ApplicationTokenDto;
import dev.apim.platform.wso2.devportal.ApplicationTokenGenerateRequestDto;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.Arrays;
import java.util.List;

/**
 * Developer Portal v3 {@code POST /applications/{id}/oauth-keys/{keyMappingId}/generate-token}: the application's
 * owner (or an admin) trades the key mapping's consumer secret for a client-credentials access token, optionally
 * revoking an earlier token of the same key mapping first.
 */
@RestController
@ConditionalOnRole(Roles.KEYMANAGER)
public class GenerateTokenController {

    static final long MAX_VALIDITY_SECONDS = 31_536_000;

    private final KeyMappingLookup lookup;
    private final ClientAuthenticator clients;
    private final TokenService tokens;
    private final TokenRevoker revoker;
    private final JwtVerifier verifier;

    public GenerateTokenController(KeyMappingLookup lookup, ClientAuthenticator clients, TokenService tokens,
                                   TokenRevoker revoker, JwtVerifier verifier) {
        this.lookup = lookup;
        this.clients = clients;
        this.tokens = tokens;
        this.revoker = revoker;
        this.verifier = verifier;
    }

    @PostMapping(path = "/api/am/devportal/v3/applications/{applicationId}/oauth-keys/{keyMappingId}/generate-token",
            consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<ApplicationTokenDto>> generate(@PathVariable String applicationId,
                                                              @PathVariable String keyMappingId,
                                                              @RequestBody ApplicationTokenGenerateRequestDto body,
                                                              Caller caller, ServerWebExchange exchange) {
        if (body == null) {
            throw ApiException.badRequest("An ApplicationTokenGenerateRequest object is required");
        }
        if (body.consumerSecret() == null || body.consumerSecret().isBlank()) {
            throw ApiException.badRequest("'consumerSecret' is required");
        }
        if (body.grantType() != null && !body.grantType().isBlank()
                && !body.grantType().equals(GrantTypes.CLIENT_CREDENTIALS)) {
            throw ApiException.badRequest("'grantType' must be client_credentials");
        }
        if (body.validityPeriod() != null && body.validityPeriod() > MAX_VALIDITY_SECONDS) {
            throw ApiException.badRequest("'validityPeriod' must be at most " + MAX_VALIDITY_SECONDS + " seconds");
        }
        List<String> requested = scopes(body.scopes());
        return lookup.visibleMapping(caller, applicationId, keyMappingId)
                .flatMap(mapping -> clients.authenticate(
                                new ClientAuthenticator.Credentials(mapping.consumerKey(), body.consumerSecret()))
                        .onErrorMap(OAuth2Exception.class, e -> new ApiException(HttpStatus.UNAUTHORIZED, 900901,
                                "Invalid Credentials", "The consumer secret does not match the key mapping, or "
                                + "its keys are revoked: " + e.getMessage())))
                .flatMap(client -> revokePrevious(client.consumerKey(), client.tenant(), body.revokeToken(),
                        new TokenRevoker.Context(caller, exchange))
                        .then(tokens.clientCredentials(client, requested, body.validityPeriod())))
                .map(t -> ResponseEntity.ok(new ApplicationTokenDto(t.accessToken(),
                        Arrays.asList(t.scope().split(" ")), t.expiresIn())));
    }

    private Mono<Void> revokePrevious(String consumerKey, String tenant, String token, TokenRevoker.Context context) {
        if (token == null || token.isBlank()) {
            return Mono.empty();
        }
        VerifiedToken verified;
        try {
            verified = verifier.verify(token.strip());
        } catch (InvalidTokenException e) {
            return Mono.empty(); // expired or not ours: nothing left to revoke
        }
        if (!consumerKey.equals(verified.authorizedParty())) {
            return Mono.error(ApiException.badRequest("'revokeToken' was not issued to this key mapping"));
        }
        return revoker.revoke(tenant, consumerKey, verified.jti(), verified.expiresAt(),
                "replaced through generate-token", context);
    }

    private static List<String> scopes(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            return List.of();
        }
        try {
            return ScopePolicy.parse(String.join(" ", scopes));
        } catch (OAuth2Exception e) {
            throw ApiException.badRequest("'scopes': " + e.getMessage());
        }
    }
}
