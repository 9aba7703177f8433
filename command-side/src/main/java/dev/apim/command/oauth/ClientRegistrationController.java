package dev.apim.command.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.apim.command.keys.ConsumerCredentials;
import dev.apim.command.support.CommandDispatcher;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.domain.keys.GrantTypes;
import dev.apim.domain.keys.OAuthClient;
import dev.apim.domain.keys.command.DeleteOAuthClient;
import dev.apim.domain.keys.command.RegisterOAuthClient;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.oauth.OAuthClientStore;
import dev.apim.platform.security.AuthenticationFailure;
import dev.apim.platform.security.BasicAuthenticator;
import dev.apim.platform.security.Caller;
import dev.apim.platform.security.PasswordHashing;
import dev.apim.platform.wso2.admin.AdminAccess;
import dev.apim.platform.web.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WSO2's dynamic client registration for management clients ({@code /client-registration/v0.17/register}),
 * authenticated with HTTP Basic as a user. A user registers clients for themselves; an admin for anyone.
 * Registering the same {@code clientName} for the same owner again keeps the client id and answers a NEW
 * secret (WSO2 answers the stored one; we keep only a hash of it, so the old secret stops working).
 */
@RestController
@ConditionalOnRole(Roles.KEYMANAGER)
@RequestMapping("/client-registration/v0.17/register")
public class ClientRegistrationController {

    static final int MAX_CALLBACK_LENGTH = 2048;

    private final CommandDispatcher commands;
    private final BasicAuthenticator basic;
    private final OAuthClientStore clients;
    private final JsonMapper json = JsonMapper.builder().build();

    public ClientRegistrationController(CommandDispatcher commands, DcrAuthenticator basic, OAuthClientStore clients) {
        this.commands = commands;
        this.basic = basic.authenticator();
        this.clients = clients;
    }

    /** The DCR authenticator: HTTP Basic as a user, whatever the management plane's Basic opt-in says. */
    public record DcrAuthenticator(BasicAuthenticator authenticator) {}

    /** WSO2's {@code RegistrationProfile}. */
    public record RegistrationRequest(String callbackUrl, String clientName, String tokenScope, String owner,
                                      String grantType, Boolean saasApp, String tokenType,
                                      String applicationDisplayName) {}

    /** WSO2's {@code OAuthApplicationInfo}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RegistrationResponse(String clientId, String clientName, String callBackURL, String clientSecret,
                                       boolean isSaasApplication, String appOwner, String jsonString,
                                       String jsonAppAttribute, String tokenType) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<RegistrationResponse>> register(@RequestBody RegistrationRequest body,
                                                               ServerWebExchange exchange) {
        return authenticate(exchange).flatMap(caller -> {
            if (body == null) {
                return Mono.error(ApiException.badRequest("A RegistrationProfile object is required"));
            }
            String clientName = required(body.clientName(), "clientName");
            String owner = body.owner() == null || body.owner().isBlank() ? caller.username() : body.owner().strip();
            int at = owner.lastIndexOf('@');
            if (at > 0 && owner.substring(at + 1).equals(caller.tenant())) {
                owner = owner.substring(0, at);
            }
            if (!owner.equals(caller.username()) && !caller.hasRole(AdminAccess.ADMIN_ROLE)) {
                return Mono.error(AuthenticationFailure.forbidden(
                        "Only an admin may register a client for another owner"));
            }
            if (body.tokenType() != null && !body.tokenType().equalsIgnoreCase("JWT")
                    && !body.tokenType().equalsIgnoreCase("Default")) {
                return Mono.error(ApiException.badRequest("tokenType must be JWT (the only token type issued)"));
            }
            String grantType = required(body.grantType(), "grantType");
            List<String> grants = GrantTypes.normalized(Arrays.stream(grantType.strip().split("\\s+")).toList());
            String callback = callback(grants, body.callbackUrl());
            String consumerKey = ConsumerCredentials.consumerKey();
            String secret = ConsumerCredentials.consumerSecret();
            String clientId = OAuthClient.idOf(caller.tenant(), owner, clientName);
            String appOwner = owner;
            return commands.send(new RegisterOAuthClient(clientId, caller.tenant(), owner, clientName, consumerKey,
                            PasswordHashing.hash(secret), grants, callback, body.saasApp() == null || body.saasApp(),
                            new Requester(caller.username(), caller.hasRole(AdminAccess.ADMIN_ROLE))), caller, exchange)
                    .map(receipt -> {
                        String key = receipt.result() instanceof String k ? k : consumerKey;
                        return ResponseEntity.ok(new RegistrationResponse(key, clientName, callback, secret,
                                body.saasApp() == null || body.saasApp(), appOwner,
                                jsonString(grants, callback, clientName), "{}", "JWT"));
                    });
        });
    }

    @DeleteMapping("/{clientId}")
    public Mono<ResponseEntity<Void>> delete(@PathVariable String clientId, ServerWebExchange exchange) {
        return authenticate(exchange).flatMap(caller -> clients.findByConsumerKey(clientId)
                .filter(c -> c.kind() == OAuthClientStore.Kind.MANAGEMENT && c.active()
                        && (c.owner().equals(caller.username()) || caller.hasRole(AdminAccess.ADMIN_ROLE)))
                .switchIfEmpty(Mono.error(ApiException.notFound("No client registration with id " + clientId)))
                .flatMap(c -> commands.send(new DeleteOAuthClient(c.aggregateId(),
                        new Requester(caller.username(), caller.hasRole(AdminAccess.ADMIN_ROLE))), caller, exchange))
                .thenReturn(ResponseEntity.<Void>ok().build()));
    }

    private Mono<Caller> authenticate(ServerWebExchange exchange) {
        return basic.authenticate(exchange)
                .switchIfEmpty(Mono.error(AuthenticationFailure::missing))
                .doOnError(e -> exchange.getResponse().getHeaders()
                        .set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"apim\""));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return value.strip();
    }

    /**
     * WSO2's scripts send placeholders such as {@code www.google.lk} for clients that never redirect. For such
     * clients (no authorization_code or implicit grant) a callback that is not an absolute http(s) URL is dropped
     * rather than refused; for redirecting clients the domain's rules apply.
     */
    static String callback(List<String> grants, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_CALLBACK_LENGTH) {
            throw ApiException.badRequest("callbackUrl must be at most " + MAX_CALLBACK_LENGTH + " characters");
        }
        if (grants.contains(GrantTypes.AUTHORIZATION_CODE) || grants.contains(GrantTypes.IMPLICIT)) {
            return value.strip();
        }
        try {
            return GrantTypes.callbackUrl(grants, value);
        } catch (DomainException e) {
            return null;
        }
    }

    private String jsonString(List<String> grants, String callback, String clientName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grant_types", String.join(" ", grants));
        m.put("redirect_uris", callback);
        m.put("client_name", clientName);
        return json.writeValueAsString(m);
    }
}
