package dev.apim.command.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Requester;
import dev.apim.platform.security.Caller;
import dev.apim.platform.wso2.admin.AdminAccess;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.regex.Pattern;

import dev.apim.domain.keys.KeyType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

/**
 * What the keys endpoints ask before sending a command: who owns an application, which key mapping an id names,
 * and whether the application already holds live keys of a type (the claim table, consistent; the aggregate's
 * claim in the command's transaction still decides). The read models are updated before a write answers, and an
 * application's owner or a mapping's application never change, so the answers cannot go stale in a harmful way
 * (the aggregate still decides).
 */
public class KeyMappingLookup {

    /** A key mapping as the read model shows it. */
    public record Mapping(String keysId, String keyMappingId, String applicationId, String owner, String keyType,
                          String consumerKey) {}

    /** Application and key mapping ids are UUIDs. */
    public static final Pattern UUID_FORM = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final JdbcTemplate jdbc;
    private final KeyMappingClaims claims;

    public KeyMappingLookup(JdbcTemplate jdbc, KeyMappingClaims claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    /** The owner of an application of the tenant, if it exists. */
    public Optional<String> applicationOwner(String tenant, String applicationId) {
        return jdbc.queryForList("SELECT owner FROM apimgtdb.application WHERE tenant = ? AND application_id = ?",
                String.class, tenant, applicationId).stream().findFirst();
    }

    /** The key mapping {@code keyMappingId} of the application, if it exists in the tenant. */
    public Optional<Mapping> mapping(String tenant, String applicationId, String keyMappingId) {
        return jdbc.query("""
                        SELECT keys_id, key_mapping_id, application_id, application_owner, key_type, consumer_key
                        FROM apimgtdb.application_keys
                        WHERE tenant = ? AND application_id = ? AND key_mapping_id = ?""",
                (rs, i) -> new Mapping(rs.getString("keys_id"), rs.getString("key_mapping_id"),
                        rs.getString("application_id"), rs.getString("application_owner"), rs.getString("key_type"),
                        rs.getString("consumer_key")),
                tenant, applicationId, keyMappingId).stream().findFirst();
    }

    /**
     * The key mapping when {@code caller} may act on it (its application's owner, or an admin); otherwise — also for
     * ids that are not UUIDs — WSO2's key-mapping 404, exactly as for a mapping that does not exist. Off the event
     * loop.
     */
    public Mono<Mapping> visibleMapping(Caller caller, String applicationId, String keyMappingId) {
        if (!UUID_FORM.matcher(applicationId).matches() || !UUID_FORM.matcher(keyMappingId).matches()) {
            return Mono.error(mappingNotFound(keyMappingId));
        }
        Requester requester = new Requester(caller.username(), caller.hasRole(AdminAccess.ADMIN_ROLE));
        return Mono.fromCallable(() -> mapping(caller.tenant(), applicationId, keyMappingId)
                        .filter(m -> requester.mayActFor(m.owner()))
                        .orElseThrow(() -> mappingNotFound(keyMappingId)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    public static DomainException mappingNotFound(String keyMappingId) {
        return DomainException.of(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND, "Key mapping %s not found",
                keyMappingId);
    }

    /** Whether the application holds a live (or revoked, not removed) key mapping of the key type. */
    public boolean hasKeys(String tenant, String applicationId, KeyType keyType) {
        return claims.claimed(tenant, applicationId, keyType);
    }
}
