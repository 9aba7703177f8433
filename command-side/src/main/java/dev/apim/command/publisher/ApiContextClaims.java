package dev.apim.command.publisher;

import dev.apim.domain.api.ApiContextRegistry;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

/**
 * The constraint table behind "context + version is unique per tenant". It runs inside the command's
 * transaction (the same one that appends the events), so a lost race surfaces as a refused command and a
 * rolled-back claim — never as two APIs on one context. Contexts compare case-insensitively.
 */
public class ApiContextClaims implements ApiContextRegistry {

    private final JdbcTemplate jdbc;
    private final String table;

    public ApiContextClaims(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    @Override
    public void claim(String tenant, String context, String version, String apiId) {
        int inserted = jdbc.update("INSERT INTO " + table + " (tenant, context_key, version, api_id) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (tenant, context_key, version) DO NOTHING", tenant, key(context), version, apiId);
        if (inserted == 0) {
            throw DomainException.of(DomainError.API_CONTEXT_ALREADY_EXISTS,
                    "An API with context '%s' and version '%s' already exists", context, version);
        }
    }

    @Override
    public void release(String tenant, String context, String version, String apiId) {
        jdbc.update("DELETE FROM " + table + " WHERE tenant = ? AND context_key = ? AND version = ? AND api_id = ?",
                tenant, key(context), version, apiId);
    }

    private static String key(String context) {
        return context.toLowerCase(Locale.ROOT);
    }
}
