package dev.apim.command.oauth.keys;

import dev.apim.platform.jwt.IssuedToken;
import dev.apim.platform.jwt.JwksDocument;
import dev.apim.platform.jwt.JwtIssuer;
import dev.apim.platform.jwt.JwtVerifier;
import dev.apim.platform.jwt.KeyEncryption;
import dev.apim.platform.jwt.KeyEncryptionException;
import dev.apim.platform.jwt.KeyResolver;
import dev.apim.platform.jwt.SealedSigningKey;
import dev.apim.platform.jwt.SigningKey;
import dev.apim.platform.jwt.SigningKeyRing;
import dev.apim.platform.jwt.TokenRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.apim.platform.scheduling.PeriodicJob;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Key Manager's token signing keys, kept in {@code keymanager.signing_key} (private keys sealed under the
 * master key) and shared by every Key Manager node.
 * <p>{@link #synchronize()} takes a PostgreSQL advisory lock, reads the stored keys, lets {@link SigningKeyRing}
 * create missing keys and rotate when due, writes what changed and then serves the result; so nodes that start or
 * rotate at once never create two ACTIVE keys, and a node sees a rotation another node did. It runs at start
 * (a failure, such as a master key that cannot open the stored keys, refuses the start) and every
 * {@code refreshInterval} while running; the signing path also runs it when the local view says a rotation is due,
 * so no node signs with a key other nodes have retired.
 * <p>What the token endpoints use: {@link #issuer()}, {@link #issue(TokenRequest)} (caps the lifetime to
 * {@link #maxTokenLifetime()}), {@link #keyResolver()} / {@link #verifier()}, and {@link #jwks()} for
 * {@code /oauth2/jwks}. {@code issue} may touch the database (about once per rotation), so call it off the event loop.
 */
public class SigningKeys extends PeriodicJob {

    /** The advisory lock serialising key creation and rotation across nodes ("apimkeys" in ASCII). */
    static final long LOCK_ID = 0x61706d6b657973L;
    /** The least time between two database re-reads caused by an unknown {@code kid}. */
    static final Duration RELOAD_BACKOFF = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final String COLUMNS = "kid, state, created_at, activated_at, deactivated_at, retired_at, "
            + "public_key, encrypted_private_key";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String issuer;
    private final KeyEncryption encryption;
    private final KeyManagerProperties settings;
    private final Clock clock;
    private final JwtIssuer jwtIssuer;
    private final KeyResolver keyResolver;
    /** Unsealed key pairs by kid, with the sealed text they came from, so each key is decrypted once. */
    private final Map<String, Unsealed> unsealed = new ConcurrentHashMap<>();

    private volatile SigningKeyRing ring;
    private volatile Instant lastReload = Instant.EPOCH;

    private record Unsealed(String encryptedPrivateKey, KeyPair keyPair) {}

    /**
     * @param issuer     the {@code iss} of issued tokens (validated by {@link KeyManagerProperties})
     * @param encryption seals and opens private keys with the master key
     * @param settings   rotation period, pre-publication, maximum token lifetime and refresh interval
     */
    public SigningKeys(DataSource dataSource, String issuer, KeyEncryption encryption, KeyManagerProperties settings,
                       Clock clock) {
        super("keymanager-signing-keys", Objects.requireNonNull(settings, "settings").refreshInterval(),
                "apim.keymanager.refresh-interval");
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(dataSource, "dataSource"));
        this.transactions = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        this.issuer = KeyManagerProperties.checkIssuer(Objects.requireNonNull(issuer, "issuer"));
        this.encryption = Objects.requireNonNull(encryption, "encryption");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jwtIssuer = new JwtIssuer(issuer, this::currentSigningKey, clock);
        this.keyResolver = new KeyResolver() {
            @Override
            public Optional<RSAPublicKey> find(String kid) {
                return ring().publishedKeys().stream().filter(k -> k.kid().equals(kid))
                        .map(SigningKey::publicKey).findFirst();
            }

            @Override
            public void refresh() {
                reloadAtMostEvery(RELOAD_BACKOFF);
            }
        };
    }

    // ---- what the token endpoints use ----

    /** The {@code iss} of every token this Key Manager signs. */
    public String issuer() {
        return issuer;
    }

    /** The longest lifetime a token may have ({@code apim.keymanager.max-token-lifetime}). */
    public Duration maxTokenLifetime() {
        return settings.maxTokenLifetime();
    }

    /**
     * Signs an access token with the ACTIVE key; a requested lifetime above {@link #maxTokenLifetime()} is cut to
     * it (a retiring key is published only that long after it stopped signing).
     */
    public IssuedToken issue(TokenRequest request) {
        Objects.requireNonNull(request, "request");
        TokenRequest capped = request.lifetime().compareTo(maxTokenLifetime()) <= 0 ? request
                : new TokenRequest(request.subject(), request.audience(), request.authorizedParty(), request.scopes(),
                        request.keyType(), request.authorizedUserType(), request.application(), maxTokenLifetime());
        return jwtIssuer.issue(capped);
    }

    /**
     * Public keys of the published signing keys (NEXT, ACTIVE, RETIRING). An unknown kid re-reads the table (blocking
     * JDBC, at most every {@link #RELOAD_BACKOFF}), so verify off the event loop.
     */
    public KeyResolver keyResolver() {
        return keyResolver;
    }

    /** A verifier builder for this Key Manager's own tokens: its issuer, its keys, its clock. */
    public JwtVerifier.Builder verifier() {
        return JwtVerifier.builder(issuer, keyResolver).clock(clock);
    }

    /** NEXT, ACTIVE and RETIRING keys, newest first. */
    public List<SigningKey> publishedKeys() {
        return ring().publishedKeys();
    }

    /** The RFC 7517 JWK Set of {@link #publishedKeys()} (public parts only). */
    public JwksDocument jwks() {
        return JwksDocument.of(publishedKeys());
    }

    // ---- keeping the keys ----

    /**
     * Under the advisory lock: reads the stored keys, creates missing ones and rotates when due, stores the
     * changes, then serves the stored state.
     *
     * @throws IllegalStateException when a stored key cannot be opened with the master key (nothing is written)
     */
    public synchronized void synchronize() {
        SigningKeyRing updated = transactions.execute(status -> {
            jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, LOCK_ID);
            List<StoredKey> stored = load();
            SigningKeyRing candidate = newRing(stored.stream().map(StoredKey::key).toList());
            if (candidate.rotateIfDue(clock.instant())) {
                persist(stored, candidate.keys());
            }
            return candidate;
        });
        install(updated);
    }

    /** Re-reads the stored keys without changing them. */
    public synchronized void reload() {
        install(newRing(load().stream().map(StoredKey::key).toList()));
    }

    private void install(SigningKeyRing updated) {
        SigningKeyRing previous = ring;
        ring = updated;
        lastReload = clock.instant();
        String before = previous == null ? null : activeKid(previous);
        String after = activeKid(updated);
        if (!Objects.equals(before, after)) {
            log.info("Token signing key is now {} ({} key(s) published)", after, updated.publishedKeys().size());
        }
    }

    private static String activeKid(SigningKeyRing ring) {
        return ring.keys().stream().filter(k -> k.state() == SigningKey.State.ACTIVE).map(SigningKey::kid)
                .findFirst().orElse(null);
    }

    private void reloadAtMostEvery(Duration backoff) {
        if (clock.instant().isBefore(lastReload.plus(backoff))) {
            return;
        }
        try {
            reload();
        } catch (RuntimeException e) {
            log.warn("Could not re-read the signing keys", e);
        }
    }

    private SigningKeyRing ring() {
        SigningKeyRing current = ring;
        if (current == null) {
            throw new IllegalStateException("signing keys are not loaded yet; call synchronize() first");
        }
        return current;
    }

    /**
     * The key to sign with now. When the local view says a rotation is due (the periodic run has not happened yet),
     * synchronises first, so this node never keeps signing with a key another node retired.
     */
    private SigningKey currentSigningKey() {
        SigningKeyRing current = ring();
        Instant now = clock.instant();
        if (rotationDue(current, now) && !now.isBefore(lastReload.plus(Duration.ofSeconds(1)))) {
            synchronize();
            current = ring();
        }
        return current.signingKey();
    }

    private boolean rotationDue(SigningKeyRing current, Instant now) {
        List<SigningKey> keys = current.keys();
        Optional<SigningKey> active = keys.stream().filter(k -> k.state() == SigningKey.State.ACTIVE).findFirst();
        Optional<SigningKey> next = keys.stream().filter(k -> k.state() == SigningKey.State.NEXT).findFirst();
        return active.isEmpty() || (next.isPresent()
                && !now.isBefore(active.get().activatedAt().plus(settings.rotationPeriod()))
                && !now.isBefore(next.get().createdAt().plus(settings.prePublish())));
    }

    private SigningKeyRing newRing(List<SigningKey> keys) {
        return new SigningKeyRing(settings.rotationPeriod(), settings.prePublish(), settings.maxTokenLifetime(), keys,
                SigningKey::generate);
    }

    // ---- the table ----

    private record StoredKey(SigningKey key, String publicKey, String encryptedPrivateKey) {}

    private List<StoredKey> load() {
        List<SealedSigningKey> rows = jdbc.query("SELECT " + COLUMNS + " FROM keymanager.signing_key ORDER BY created_at",
                (rs, n) -> sealed(rs));
        List<StoredKey> keys = new ArrayList<>(rows.size());
        for (SealedSigningKey row : rows) {
            keys.add(new StoredKey(open(row), row.publicKey(), row.encryptedPrivateKey()));
        }
        unsealed.keySet().retainAll(rows.stream().map(SealedSigningKey::kid).toList());
        return keys;
    }

    private SigningKey open(SealedSigningKey row) {
        Unsealed known = unsealed.get(row.kid());
        if (known != null && known.encryptedPrivateKey().equals(row.encryptedPrivateKey())) {
            return new SigningKey(row.kid(), known.keyPair(), row.state(), row.createdAt(), row.activatedAt(),
                    row.deactivatedAt(), row.retiredAt());
        }
        SigningKey key;
        try {
            key = row.unseal(encryption);
        } catch (KeyEncryptionException e) {
            throw new IllegalStateException("apim.keymanager.master-key cannot open the stored signing key " + row.kid()
                    + " (keymanager.signing_key): " + e.getMessage() + ". Configure the master key these keys were"
                    + " sealed with (the same on every Key Manager node); no new keys are created over them.", e);
        }
        unsealed.put(row.kid(), new Unsealed(row.encryptedPrivateKey(), key.keyPair()));
        return key;
    }

    /** Writes the ring's keys that are new or changed, demotions first so the one-ACTIVE/one-NEXT indexes hold. */
    private void persist(List<StoredKey> stored, List<SigningKey> keys) {
        Map<String, SigningKey> before = new HashMap<>();
        stored.forEach(s -> before.put(s.key().kid(), s.key()));
        List<SigningKey> ordered = keys.stream().sorted(Comparator.comparingInt(SigningKeys::writeOrder)).toList();
        for (SigningKey key : ordered) {
            SigningKey old = before.get(key.kid());
            if (old == null) {
                SealedSigningKey sealed = SealedSigningKey.seal(key, encryption);
                jdbc.update("INSERT INTO keymanager.signing_key (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        sealed.kid(), sealed.state().name(), ts(sealed.createdAt()), ts(sealed.activatedAt()),
                        ts(sealed.deactivatedAt()), ts(sealed.retiredAt()), sealed.publicKey(),
                        sealed.encryptedPrivateKey());
                unsealed.put(key.kid(), new Unsealed(sealed.encryptedPrivateKey(), key.keyPair()));
                log.info("Created signing key {} ({})", key.kid(), key.state());
            } else if (old.state() != key.state() || !Objects.equals(old.activatedAt(), key.activatedAt())
                    || !Objects.equals(old.deactivatedAt(), key.deactivatedAt())
                    || !Objects.equals(old.retiredAt(), key.retiredAt())) {
                jdbc.update("UPDATE keymanager.signing_key SET state = ?, activated_at = ?, deactivated_at = ?, "
                                + "retired_at = ?, updated_at = now() WHERE kid = ?",
                        key.state().name(), ts(key.activatedAt()), ts(key.deactivatedAt()), ts(key.retiredAt()),
                        key.kid());
                log.info("Signing key {}: {} -> {}", key.kid(), old.state(), key.state());
            }
        }
    }

    private static int writeOrder(SigningKey key) {
        return switch (key.state()) {
            case RETIRED -> 0;
            case RETIRING -> 1;
            case ACTIVE -> 2;
            case NEXT -> 3;
        };
    }

    private static SealedSigningKey sealed(ResultSet rs) throws SQLException {
        SigningKey.State state;
        try {
            state = SigningKey.State.valueOf(rs.getString("state"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unknown signing key state " + rs.getString("state"), e);
        }
        return new SealedSigningKey(rs.getString("kid"), state, instant(rs, "created_at"),
                instant(rs, "activated_at"), instant(rs, "deactivated_at"), instant(rs, "retired_at"),
                rs.getString("public_key"), rs.getString("encrypted_private_key"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    // ---- periodic refresh ----

    /** A refresh: rotates when due and re-reads the keys other nodes rotated. A failure keeps the keys loaded before. */
    @Override
    protected void runOnce() {
        synchronize();
    }

    /** Loads the keys (rotating first if none is current) before the periodic refresh starts. */
    @Override
    public synchronized void start() {
        if (!isRunning() && ring == null) {
            synchronize();
        }
        super.start();
    }
}
