package dev.apim.query.keys;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import dev.apim.platform.security.Caller;
import dev.apim.platform.wso2.devportal.ApplicationKeyDto;
import dev.apim.platform.wso2.devportal.ApplicationKeyListDto;
import dev.apim.platform.wso2.devportal.ApplicationKeyProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Developer Portal v3 key mapping reads on WSO2's paths, never with a secret. A user sees only the key mappings of
 * their own applications; another user's application or mapping answers 404 exactly like a missing one (an
 * administrator may read any of the tenant's).
 */
@RestController
@ConditionalOnRole(Roles.DEVPORTAL)
@RequestMapping("/api/am/devportal/v3/applications/{applicationId}")
public class ApplicationKeysQueryController {

    private static final Pattern ID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String COLUMNS = """
            key_mapping_id, key_type, consumer_key, array_to_string(grant_types, ' ') AS grants, callback_url,
            application_access_token_seconds, user_access_token_seconds, refresh_token_seconds, id_token_seconds,
            state""";

    private final JdbcTemplate jdbc;

    public ApplicationKeysQueryController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/oauth-keys")
    public Mono<ApplicationKeyListDto> list(@PathVariable String applicationId, Caller caller) {
        return Mono.fromCallable(() -> {
            requireVisibleApplication(caller, applicationId);
            List<ApplicationKeyDto> list = jdbc.query("SELECT " + COLUMNS + " FROM apimgtdb.application_keys "
                            + "WHERE tenant = ? AND application_id = ? ORDER BY key_type",
                    (rs, i) -> key(rs), caller.tenant(), applicationId);
            return new ApplicationKeyListDto(list.size(), list);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/oauth-keys/{keyMappingId}")
    public Mono<ApplicationKeyDto> get(@PathVariable String applicationId, @PathVariable String keyMappingId,
                                       Caller caller) {
        return Mono.fromCallable(() -> {
            if (!ID.matcher(applicationId).matches() || !ID.matcher(keyMappingId).matches()) {
                throw mappingNotFound(keyMappingId);
            }
            return jdbc.query("SELECT " + COLUMNS + ", application_owner FROM apimgtdb.application_keys "
                                    + "WHERE tenant = ? AND application_id = ? AND key_mapping_id = ?",
                            (rs, i) -> visible(caller, rs.getString("application_owner")) ? key(rs) : null,
                            caller.tenant(), applicationId, keyMappingId)
                    .stream().filter(java.util.Objects::nonNull).findFirst()
                    .orElseThrow(() -> mappingNotFound(keyMappingId));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private void requireVisibleApplication(Caller caller, String applicationId) {
        boolean visible = ID.matcher(applicationId).matches()
                && jdbc.queryForList("SELECT owner FROM apimgtdb.application WHERE tenant = ? AND application_id = ?",
                        String.class, caller.tenant(), applicationId).stream().anyMatch(o -> visible(caller, o));
        if (!visible) {
            throw DomainException.of(DomainError.APPLICATION_NOT_FOUND, "Application %s not found", applicationId);
        }
    }

    private static boolean visible(Caller caller, String owner) {
        return caller.hasRole("admin") || caller.username().equals(owner);
    }

    private static ApplicationKeyDto key(ResultSet rs) throws SQLException {
        String grants = rs.getString("grants");
        TokenLifetimes lifetimes = new TokenLifetimes(rs.getLong("application_access_token_seconds"),
                rs.getLong("user_access_token_seconds"), rs.getLong("refresh_token_seconds"),
                rs.getLong("id_token_seconds"));
        String state = "ACTIVE".equals(rs.getString("state")) ? "COMPLETED" : rs.getString("state");
        return new ApplicationKeyDto(rs.getString("key_mapping_id"), ApplicationKeyDto.RESIDENT_KEY_MANAGER,
                rs.getString("consumer_key"), null,
                grants == null || grants.isEmpty() ? List.of() : Arrays.asList(grants.split(" ")),
                rs.getString("callback_url"), state, rs.getString("key_type"), "CREATED", null, null,
                ApplicationKeyProperties.of(lifetimes));
    }

    private static DomainException mappingNotFound(String keyMappingId) {
        return DomainException.of(DomainError.APPLICATION_KEY_MAPPING_NOT_FOUND, "Key mapping %s not found",
                keyMappingId);
    }
}
