package dev.apim.command.oauth.keys;

import dev.apim.platform.jwt.KeyResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Key Manager's published public keys (NEXT, ACTIVE, RETIRING) read from {@code keymanager.signing_key}, for
 * nodes that verify management bearer tokens without running the Key Manager (a Publisher or Developer Portal node
 * of a distributed deployment). Only the public column is read: such a node needs no master key. The table is read
 * on first use and again when a token names an unknown {@code kid} (a rotation), at most every {@link #RELOAD_BACKOFF}
 * so random kids cannot hammer the database. Blocking JDBC: verify off the event loop, as the Key Manager does.
 */
public final class PublishedSigningKeys implements KeyResolver {

    static final Duration RELOAD_BACKOFF = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(PublishedSigningKeys.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile Map<String, RSAPublicKey> keys;
    private volatile Instant lastLoad = Instant.EPOCH;

    public PublishedSigningKeys(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<RSAPublicKey> find(String kid) {
        Map<String, RSAPublicKey> current = keys;
        if (current == null) {
            current = reload();
        }
        return Optional.ofNullable(current.get(kid));
    }

    @Override
    public void refresh() {
        if (Duration.between(lastLoad, clock.instant()).compareTo(RELOAD_BACKOFF) >= 0) {
            reload();
        }
    }

    private synchronized Map<String, RSAPublicKey> reload() {
        Map<String, RSAPublicKey> loaded = new HashMap<>();
        jdbc.query("SELECT kid, public_key FROM keymanager.signing_key WHERE state IN ('NEXT', 'ACTIVE', 'RETIRING')",
                rs -> {
                    String kid = rs.getString("kid");
                    try {
                        loaded.put(kid, decode(rs.getString("public_key")));
                    } catch (GeneralSecurityException | IllegalArgumentException e) {
                        log.warn("Signing key {} has an unreadable public key; tokens it signed are refused", kid);
                    }
                });
        lastLoad = clock.instant();
        keys = Map.copyOf(loaded);
        return keys;
    }

    static RSAPublicKey decode(String base64) throws GeneralSecurityException {
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
