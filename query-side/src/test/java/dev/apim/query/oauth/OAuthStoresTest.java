package dev.apim.query.oauth;

import dev.apim.domain.keys.KeyType;
import dev.apim.domain.keys.OAuthClient;
import dev.apim.domain.keys.TokenLifetimes;
import dev.apim.domain.keys.TokenRevocations;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.ApplicationKeysGenerated;
import dev.apim.domain.keys.event.ApplicationKeysRevoked;
import dev.apim.domain.keys.event.OAuthClientDeleted;
import dev.apim.domain.keys.event.OAuthClientRegistered;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import dev.apim.platform.db.DatabaseEndpoint;
import dev.apim.platform.db.SchemaMigrations;
import dev.apim.platform.jwt.ApplicationClaim;
import dev.apim.platform.oauth.OAuthClientStore;
import dev.apim.testsupport.TestServices;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The R2DBC {@code OAuthClientStore} and {@code TokenRevocationStore} over the projected read model on real
 * PostgreSQL (rows written by the projection itself): what the token endpoint and the verifiers are told.
 */
class OAuthStoresTest {

    private static final String T = "carbon.super";
    private static final String HASH = "$argon2id$v=19$m=16384,t=2,p=1$c2FsdA$aGFzaA";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static JdbcTemplate jdbc;
    private static OAuthClientProjection projection;
    private static R2dbcOAuthClientStore clients;
    private static R2dbcTokenRevocationStore revocations;

    @BeforeAll
    static void database() {
        String url = TestServices.freshDatabase("oauth_stores");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        SchemaMigrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        projection = new OAuthClientProjection(jdbc);
        DatabaseEndpoint endpoint = new DatabaseEndpoint(url, null, null);
        DatabaseClient db = DatabaseClient.create(new PostgresqlConnectionFactory(
                PostgresqlConnectionConfiguration.builder().host(endpoint.host()).port(endpoint.port())
                        .database(endpoint.database()).username(endpoint.effectiveUsername())
                        .password(endpoint.effectivePassword()).build()));
        clients = new R2dbcOAuthClientStore(db);
        revocations = new R2dbcTokenRevocationStore(db);
    }

    private static String key() {
        return "ck" + UUID.randomUUID().toString().replace("-", "");
    }

    private static String application(String name, String tier) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO apimgtdb.application (application_id, tenant, owner, name, throttling_policy, "
                + "token_type, aggregate_version, created_time, updated_time) VALUES (?, ?, 'alice', ?, ?, 'JWT', 0, "
                + "now(), now())", id, T, name, tier);
        return id;
    }

    private static String keysFor(String app, String ck) {
        String keysId = "keys:" + app + ":PRODUCTION";
        projection.on(new ApplicationKeysGenerated(keysId, UUID.randomUUID().toString(), T, app, "alice",
                KeyType.PRODUCTION, ck, HASH, List.of("client_credentials", "password"), "https://app.example.com/cb",
                new TokenLifetimes(900L, null, null, null)), 0, NOW);
        return keysId;
    }

    private static String dcrClient(String ck) {
        String name = "apictl_" + UUID.randomUUID().toString().substring(0, 8);
        String id = OAuthClient.idOf(T, "admin", name);
        projection.on(new OAuthClientRegistered(id, T, "admin", name, ck, HASH, List.of("password", "refresh_token"),
                null, false, TokenLifetimes.defaults()), 0, NOW);
        return id;
    }

    private static boolean revoked(String ck, String jti, Instant issuedAt) {
        return revocations.isRevoked(ck, jti, issuedAt).block(WAIT);
    }

    // ---- clients ----

    @Test
    void an_application_client_carries_its_application_claim_read_at_query_time() {
        String app = application("Shop", "Gold");
        String ck = key();
        String keysId = keysFor(app, ck);

        OAuthClientStore.OAuthClient client = clients.findByConsumerKey(ck).block(WAIT);
        assertThat(client).isNotNull();
        assertThat(client.kind()).isEqualTo(OAuthClientStore.Kind.APPLICATION);
        assertThat(client.secretHash()).isEqualTo(HASH);
        assertThat(client.aggregateId()).isEqualTo(keysId);
        assertThat(client.owner()).isEqualTo("alice");
        assertThat(client.clientName()).isEqualTo("Shop");
        assertThat(client.keyType()).isEqualTo(KeyType.PRODUCTION);
        assertThat(client.grantTypes()).containsExactly("client_credentials", "password");
        assertThat(client.allowsGrant("password")).isTrue();
        assertThat(client.allowsGrant("refresh_token")).isFalse();
        assertThat(client.callbackUrl()).isEqualTo("https://app.example.com/cb");
        assertThat(client.lifetimes()).isEqualTo(new TokenLifetimes(900L, 3600L, 86400L, 3600L));
        assertThat(client.active()).isTrue();
        assertThat(client.tokensRevokedBefore()).isNull();
        assertThat(client.application()).isEqualTo(new ApplicationClaim(app, app, "Shop", "Gold", "alice"));

        jdbc.update("UPDATE apimgtdb.application SET name = 'Shop2', throttling_policy = 'Unlimited' "
                + "WHERE application_id = ?", app);
        assertThat(clients.findByConsumerKey(ck).block(WAIT).application())
                .isEqualTo(new ApplicationClaim(app, app, "Shop2", "Unlimited", "alice"));
    }

    @Test
    void a_management_client_has_its_dcr_name_and_no_application_claim() {
        String ck = key();
        String id = dcrClient(ck);
        OAuthClientStore.OAuthClient client = clients.findByConsumerKey(ck).block(WAIT);
        assertThat(client.kind()).isEqualTo(OAuthClientStore.Kind.MANAGEMENT);
        assertThat(client.aggregateId()).isEqualTo(id);
        assertThat(client.owner()).isEqualTo("admin");
        assertThat(client.clientName()).startsWith("apictl_");
        assertThat(client.keyType()).isEqualTo(KeyType.PRODUCTION);
        assertThat(client.lifetimes()).isEqualTo(TokenLifetimes.defaults());
        assertThat(client.application()).isNull();
        assertThat(client.active()).isTrue();
    }

    @Test
    void an_unknown_client_is_absent() {
        assertThat(clients.findByConsumerKey(key()).blockOptional(WAIT)).isEmpty();
        assertThat(clients.findByConsumerKey("").blockOptional(WAIT)).isEmpty();
    }

    @Test
    void a_deleted_or_revoked_client_is_found_inactive() {
        String ck = key();
        String id = dcrClient(ck);
        projection.on(new OAuthClientDeleted(id, T, ck), 1, NOW);
        assertThat(clients.findByConsumerKey(ck).block(WAIT).active()).isFalse();

        String app = application("Gone", "Gold");
        String appKey = key();
        String keysId = keysFor(app, appKey);
        projection.on(new ApplicationKeysRevoked(keysId, appKey, app, "application deleted"), 1, NOW);
        assertThat(clients.findByConsumerKey(appKey).block(WAIT).active()).isFalse();
    }

    @Test
    void an_application_client_whose_application_is_gone_is_absent_and_its_tokens_dead() {
        String app = application("Vanishing", "Gold");
        String ck = key();
        keysFor(app, ck);
        jdbc.update("DELETE FROM apimgtdb.application WHERE application_id = ?", app);
        assertThat(clients.findByConsumerKey(ck).blockOptional(WAIT)).isEmpty();
        assertThat(revoked(ck, "any", NOW)).isTrue();
    }

    // ---- revocations ----

    @Test
    void a_token_of_an_active_client_is_alive_until_something_revokes_it() {
        String ck = key();
        dcrClient(ck);
        assertThat(revoked(ck, "jti-1", NOW)).isFalse();
        assertThat(revoked(ck, null, NOW)).isFalse();
    }

    @Test
    void tokens_of_an_unknown_client_are_revoked() {
        assertThat(revoked(key(), "jti-1", NOW)).isTrue();
        assertThat(revoked(null, "jti-1", NOW)).isTrue();
    }

    @Test
    void tokens_of_an_inactive_client_are_revoked() {
        String ck = key();
        String id = dcrClient(ck);
        projection.on(new OAuthClientDeleted(id, T, ck), 1, NOW);
        assertThat(revoked(ck, "jti-1", NOW)).isTrue();
    }

    @Test
    void a_revoked_jti_is_revoked_and_another_is_not() {
        String ck = key();
        dcrClient(ck);
        projection.on(new AccessTokenRevoked(TokenRevocations.idOf(ck), T, ck, "jti-" + ck, NOW.plusSeconds(3600),
                "logout"), NOW);
        assertThat(revoked(ck, "jti-" + ck, NOW)).isTrue();
        assertThat(revoked(ck, "other-" + ck, NOW)).isFalse();
    }

    @Test
    void tokens_issued_before_the_cut_off_are_revoked_and_later_ones_are_not() {
        String ck = key();
        dcrClient(ck);
        projection.on(new TokensRevokedIssuedBefore(TokenRevocations.idOf(ck), T, ck, NOW, "rotated"), NOW);
        assertThat(revoked(ck, "a", NOW.minusSeconds(1))).isTrue();
        assertThat(revoked(ck, "b", NOW)).isFalse();
        assertThat(revoked(ck, "c", NOW.plusSeconds(1))).isFalse();
        assertThat(revoked(ck, "d", null)).isTrue();
        assertThat(clients.findByConsumerKey(ck).block(WAIT).tokensRevokedBefore()).isEqualTo(NOW);
    }

    // ---- purge ----

    @Test
    void revoked_tokens_are_purged_only_well_after_they_expired() {
        String ck = key();
        String id = TokenRevocations.idOf(ck);
        Instant now = Instant.now();
        projection.on(new AccessTokenRevoked(id, T, ck, "old-" + ck, now.minus(Duration.ofHours(1)), null), now);
        projection.on(new AccessTokenRevoked(id, T, ck, "recent-" + ck, now.minus(Duration.ofMinutes(1)), null), now);
        projection.on(new AccessTokenRevoked(id, T, ck, "live-" + ck, now.plus(Duration.ofHours(1)), null), now);

        assertThat(new RevokedTokenPurge(jdbc, Duration.ofMinutes(5)).purge()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT jti FROM apimgtdb.revoked_token WHERE consumer_key = ? ORDER BY jti",
                String.class, ck)).containsExactly("live-" + ck, "recent-" + ck);
    }
}
