package dev.apim.domain.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.command.RevokeAccessToken;
import dev.apim.domain.keys.command.RevokeTokensIssuedBefore;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The revoked access tokens of one OAuth2 client (id {@link #idOf(String)}, one per consumer key, created by its
 * first revocation): single tokens by {@code jti}, and a cut-off "every token issued before". Access tokens are
 * self-contained JWTs and are not stored; only these revocations are, and the events carry what a gateway needs
 * to refuse a token (tenant, consumer key, jti and expiry, or the cut-off).
 *
 * <p>Revoking a jti already revoked writes nothing; so does revoking a token that has already expired. The
 * aggregate remembers revoked jtis only until they expire: each revocation forgets those expired at its own
 * time, so the state stays as small as the live revocations and is the same on every replay. Rules: a jti is
 * 1 to {@value #MAX_JTI_LENGTH} visible ASCII characters; a token cannot expire later than the longest lifetime
 * a token may have ({@link TokenLifetimes#MAX_SECONDS}) plus {@link #CLOCK_SKEW}; a cut-off cannot lie more than
 * {@link #CLOCK_SKEW} in the future (it would kill tokens not issued yet) and only ever moves forward.
 */
public class TokenRevocations {

    public static final int MAX_JTI_LENGTH = 255;
    public static final int MAX_REASON_LENGTH = 1000;
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern JTI = Pattern.compile("[\\x21-\\x7E]{1," + MAX_JTI_LENGTH + "}");

    @AggregateIdentifier
    private String revocationsId;
    private String tenant;
    private String consumerKey;
    /** Revoked jtis not yet expired, with their expiry. */
    private Map<String, Instant> revokedJtis = new HashMap<>();
    private Instant issuedBefore;

    protected TokenRevocations() {
        // for Axon, and the instance CREATE_IF_MISSING starts from
    }

    /** The id of a client's revocations: {@code revocations:<consumerKey>}. */
    public static String idOf(String consumerKey) {
        return "revocations:" + consumerKey;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokeAccessToken command) {
        requireClient(command.revocationsId(), command.tenant(), command.consumerKey());
        if (command.jti() == null || !JTI.matcher(command.jti()).matches()) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION,
                    "'jti' must be 1 to %d visible ASCII characters", MAX_JTI_LENGTH);
        }
        if (command.expiresAt() == null) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION, "'expiresAt' is required");
        }
        Instant now = GenericEventMessage.clock.instant();
        Instant latest = now.plusSeconds(TokenLifetimes.MAX_SECONDS).plus(CLOCK_SKEW);
        if (command.expiresAt().isAfter(latest)) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION,
                    "'expiresAt' %s is later than any token may live (%s)", command.expiresAt(), latest);
        }
        String reason = reason(command.reason());
        Instant known = revokedJtis.get(command.jti());
        if ((known != null && known.isAfter(now)) || !command.expiresAt().isAfter(now)) {
            return;
        }
        apply(new AccessTokenRevoked(command.revocationsId(), command.tenant(), command.consumerKey(), command.jti(),
                command.expiresAt(), reason));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokeTokensIssuedBefore command) {
        requireClient(command.revocationsId(), command.tenant(), command.consumerKey());
        if (command.issuedBefore() == null) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION, "'issuedBefore' is required");
        }
        Instant latest = GenericEventMessage.clock.instant().plus(CLOCK_SKEW);
        if (command.issuedBefore().isAfter(latest)) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION,
                    "'issuedBefore' %s is in the future; it may be at most %s", command.issuedBefore(), latest);
        }
        String reason = reason(command.reason());
        if (issuedBefore != null && !command.issuedBefore().isAfter(issuedBefore)) {
            return;
        }
        apply(new TokensRevokedIssuedBefore(command.revocationsId(), command.tenant(), command.consumerKey(),
                command.issuedBefore(), reason));
    }

    // ---- event-sourcing handlers: assignment only ----

    @EventSourcingHandler
    void on(AccessTokenRevoked event, @Timestamp Instant at) {
        identify(event.revocationsId(), event.tenant(), event.consumerKey());
        revokedJtis.values().removeIf(expiry -> !expiry.isAfter(at));
        revokedJtis.put(event.jti(), event.expiresAt());
    }

    @EventSourcingHandler
    void on(TokensRevokedIssuedBefore event) {
        identify(event.revocationsId(), event.tenant(), event.consumerKey());
        issuedBefore = event.issuedBefore();
    }

    private void identify(String id, String tenant, String consumerKey) {
        this.revocationsId = id;
        this.tenant = tenant;
        this.consumerKey = consumerKey;
    }

    /** The jtis this aggregate still remembers as revoked (for tests: expired ones are forgotten). */
    java.util.Set<String> rememberedJtis() {
        return java.util.Set.copyOf(revokedJtis.keySet());
    }

    // ---- rules ----

    private void requireClient(String id, String tenant, String consumerKey) {
        if (tenant == null || tenant.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'tenant' is required");
        }
        ClientCredentials.requireConsumerKey(consumerKey);
        if (!idOf(consumerKey).equals(id)) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'revocationsId' must be '%s'", idOf(consumerKey));
        }
        if (this.tenant != null && !this.tenant.equals(tenant)) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION,
                    "The client %s belongs to another tenant", consumerKey);
        }
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        String trimmed = reason.strip();
        if (trimmed.length() > MAX_REASON_LENGTH || trimmed.chars().anyMatch(c -> Character.isISOControl(c)
                && c != '\n' && c != '\t')) {
            throw DomainException.of(DomainError.INVALID_TOKEN_REVOCATION,
                    "'reason' must be at most %d characters without control characters", MAX_REASON_LENGTH);
        }
        return trimmed;
    }
}
