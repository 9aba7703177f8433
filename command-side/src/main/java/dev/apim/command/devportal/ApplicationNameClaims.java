package dev.apim.command.devportal;

import dev.apim.domain.application.ApplicationNameRegistry;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.springframework.jdbc.core.JdbcTemplate;


/**
 * The constraint table behind "an application name is unique per owner and tenant" (case-insensitive). It runs
 * inside the command's transaction, so a lost race is a refused command and a rolled-back claim.
 */
public class ApplicationNameClaims implements ApplicationNameRegistry {

    private final JdbcTemplate jdbc;
    private final String table;

    public ApplicationNameClaims(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    @Override
    public void claim(String tenant, String owner, String name, String applicationId) {
        int written = jdbc.update("INSERT INTO " + table + " AS c (tenant, owner, name_key, name, application_id) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, owner, name_key) DO UPDATE SET name = EXCLUDED.name "
                        + "WHERE c.application_id = EXCLUDED.application_id",
                tenant, owner, key(name), name, applicationId);
        if (written == 0) {
            throw DomainException.of(DomainError.APPLICATION_ALREADY_EXISTS,
                    "An application with name '%s' already exists for user %s", name, owner);
        }
    }

    /**
     * Claim and release in one statement (one round trip instead of two): the release runs only if the claim
     * succeeded, and they touch different rows (different keys), so neither sees the other's effect.
     */
    @Override
    public void rename(String tenant, String owner, String oldName, String newName, String applicationId) {
        if (oldName == null || key(oldName).equals(key(newName))) {
            claim(tenant, owner, newName, applicationId);
            return;
        }
        Integer written = jdbc.queryForObject("WITH claimed AS (INSERT INTO " + table + " AS c "
                        + "(tenant, owner, name_key, name, application_id) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (tenant, owner, name_key) DO UPDATE SET name = EXCLUDED.name "
                        + "WHERE c.application_id = EXCLUDED.application_id RETURNING 1), "
                        + "released AS (DELETE FROM " + table + " WHERE tenant = ? AND owner = ? AND name_key = ? "
                        + "AND application_id = ? AND EXISTS (SELECT 1 FROM claimed)) "
                        + "SELECT count(*)::int FROM claimed", Integer.class,
                tenant, owner, key(newName), newName, applicationId, tenant, owner, key(oldName), applicationId);
        if (written == null || written == 0) {
            throw DomainException.of(DomainError.APPLICATION_ALREADY_EXISTS,
                    "An application with name '%s' already exists for user %s", newName, owner);
        }
    }

    @Override
    public void release(String tenant, String owner, String name, String applicationId) {
        jdbc.update("DELETE FROM " + table + " WHERE tenant = ? AND owner = ? AND name_key = ? AND application_id = ?",
                tenant, owner, key(name), applicationId);
    }

    private static String key(String name) {
        return ApplicationNameRegistry.nameKey(name);
    }
}
