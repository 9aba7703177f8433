package dev.apim.query.users;

import dev.apim.domain.user.UserLockChanged;
import dev.apim.domain.user.UserPasswordChanged;
import dev.apim.domain.user.UserRegistered;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;

/** Projects user events into {@code shareddb.um_user}; idempotent. */
@ProcessingGroup(UserProjection.PROCESSOR)
public class UserProjection {

    public static final String PROCESSOR = "shareddb";

    private final JdbcTemplate jdbc;

    public UserProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(UserRegistered e, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO shareddb.um_user (tenant, username, password_hash, roles, created_time)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, username) DO NOTHING""");
            ps.setString(1, e.tenant());
            ps.setString(2, e.username());
            ps.setString(3, e.passwordHash());
            ps.setArray(4, con.createArrayOf("text", e.roles().toArray()));
            ps.setTimestamp(5, Timestamp.from(at));
            return ps;
        });
    }

    @EventHandler
    void on(UserPasswordChanged e, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("UPDATE shareddb.um_user SET password_hash = ?, credentials_changed_time = ? "
                        + "WHERE tenant = ? AND username = ?",
                e.passwordHash(), Timestamp.from(at), e.tenant(), e.username());
    }

    @EventHandler
    void on(UserLockChanged e) {
        jdbc.update("UPDATE shareddb.um_user SET locked = ? WHERE tenant = ? AND username = ?",
                e.locked(), e.tenant(), e.username());
    }
}
