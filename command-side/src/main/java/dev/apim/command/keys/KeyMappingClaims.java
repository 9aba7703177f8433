package dev.apim.command.keys;

import dev.apim.domain.keys.ApplicationKeys;
import dev.apim.domain.keys.KeyMappingRegistry;
import dev.apim.domain.keys.KeyType;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * "At most one live key mapping per application and key type" as a claim table written in the command's
 * transaction: a concurrent generate waits for the first one's transaction and is refused once it commits (or
 * claims the pair if it rolls back), and a refused claim rolls the events back with it.
 */
public class KeyMappingClaims implements KeyMappingRegistry {

    private final JdbcTemplate jdbc;
    private final String table;

    public KeyMappingClaims(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    @Override
    public void claim(String tenant, String applicationId, KeyType keyType, String keysId) {
        int inserted = jdbc.update("INSERT INTO " + table + " (tenant, application_id, key_type, keys_id) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT (tenant, application_id, key_type) DO NOTHING",
                tenant, applicationId, keyType.name(), keysId);
        if (inserted == 0) {
            throw ApplicationKeys.keyMappingAlreadyExists(applicationId, keyType);
        }
    }

    @Override
    public void release(String tenant, String applicationId, KeyType keyType, String keysId) {
        jdbc.update("DELETE FROM " + table + " WHERE tenant = ? AND application_id = ? AND key_type = ? "
                + "AND keys_id = ?", tenant, applicationId, keyType.name(), keysId);
    }

    /** Whether the application holds a live mapping of the key type (a cheap check before the real claim). */
    public boolean claimed(String tenant, String applicationId, KeyType keyType) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + table
                + " WHERE tenant = ? AND application_id = ? AND key_type = ?)", Boolean.class, tenant, applicationId,
                keyType.name()));
    }

    /** The ids of the mappings claimed for the application (live or revoked, not removed). */
    public List<String> ofApplication(String tenant, String applicationId) {
        return jdbc.queryForList("SELECT keys_id FROM " + table + " WHERE tenant = ? AND application_id = ? "
                + "ORDER BY key_type", String.class, tenant, applicationId);
    }
}
