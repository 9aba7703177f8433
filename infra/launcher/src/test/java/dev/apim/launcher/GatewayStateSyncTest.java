package dev.apim.launcher;

import dev.apim.gateway.model.Policy;
import dev.apim.gateway.state.BroadcastFollower;
import dev.apim.gateway.state.GatewayBootstrap;
import dev.apim.gateway.state.GatewayState;
import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.broadcast.InternalKey;
import org.junit.jupiter.api.Test;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control path end to end: REST commands → events → broadcast stream → the gateway's in-memory state, and the
 * internal data endpoints a gateway bootstraps from.
 */
class GatewayStateSyncTest extends LauncherTestBase {

    static final String DEVPORTAL = ApplicationsTest.DEVPORTAL;
    static final String INTERNAL = "/internal/data/v1";
    static final String TENANT = "carbon.super";

    @Autowired
    GatewayState live;
    @Autowired
    GatewayBootstrap bootstrap;
    @Autowired
    BroadcastFollower follower;
    @Autowired
    BroadcastStream stream;
    @Autowired
    InternalKey internalKey;
    @Autowired
    RedissonClient redisson;

    // ---- helpers ----

    static long eventIndex(EntityExchangeResult<?> result) {
        return Long.parseLong(result.getResponseHeaders().getFirst("X-Event-Index"));
    }

    WebTestClient internal() {
        return anonymous.mutate().defaultHeader(InternalKey.HEADER, internalKey.value()).build();
    }

    /** A published API with a deployed revision; returns its id. */
    String deployedApi(String suffix, String tier) {
        Map<String, Object> body = apiBody("Gw" + suffix, "/gw-" + suffix, "1.0.0");
        body.put("policies", List.of("Unlimited", tier));
        String apiId = text(tree(createApi(body)), "id");
        String revisionId = text(tree(client.post().uri(PUBLISHER + "/apis/{id}/revisions", apiId)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"description\":\"r1\"}").exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "id");
        client.post().uri(PUBLISHER + "/apis/{id}/deploy-revision?revisionId={rev}", apiId, revisionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"name\":\"Default\",\"vhost\":\"localhost\",\"displayOnDevportal\":true}]")
                .exchange().expectStatus().isCreated();
        lifecycle(apiId, "Publish");
        return apiId;
    }

    EntityExchangeResult<byte[]> lifecycle(String apiId, String action) {
        return client.post().uri(PUBLISHER + "/apis/change-lifecycle?apiId={id}&action={a}", apiId, action).exchange()
                .expectStatus().isOk().expectBody().returnResult();
    }

    /** An application with PRODUCTION keys: [applicationId, consumerKey, consumerSecret, keyMappingId]. */
    String[] appWithKeys(String name) {
        String appId = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody(name))), "applicationId");
        JsonNode keys = ApplicationKeysTest.generated(client, appId, "PRODUCTION");
        return new String[] {appId, text(keys, "consumerKey"), text(keys, "consumerSecret"), text(keys, "keyMappingId")};
    }

    EntityExchangeResult<byte[]> subscribe(String apiId, String appId, String tier) {
        return client.post().uri(DEVPORTAL + "/subscriptions").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("apiId", apiId, "applicationId", appId, "throttlingPolicy", tier)))
                .exchange().expectStatus().isCreated().expectBody().returnResult();
    }

    String accessToken(String[] app) {
        return text(tree(tokenRequest(new ClientKeys(app[1], app[2]), Map.of("grant_type", "client_credentials"))
                .expectStatus().isOk().expectBody().returnResult()), "access_token");
    }

    void revoke(String[] app, String token) {
        var data = new LinkedMultiValueMap<String, String>();
        data.add("token", token);
        anonymous.post().uri("/oauth2/revoke").headers(h -> h.setBasicAuth(app[1], app[2]))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(data))
                .exchange().expectStatus().isOk();
    }

    String denyPolicy(String type, Object value) {
        return text(tree(client.post().uri(DenyPoliciesTest.ADMIN_API + "/throttling/deny-policies")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("conditionType", type, "conditionValue", value, "conditionStatus", true)))
                .exchange().expectStatus().isCreated().expectBody().returnResult()), "conditionId");
    }

    String policy(String level, Map<String, Object> body) {
        return text(tree(client.post().uri(ThrottlePolicyAdminTest.POLICIES + "/" + level)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange()
                .expectStatus().isCreated().expectBody().returnResult()), "policyId");
    }

    /** Waits until the live state has applied every notification up to {@code index}. */
    void awaitLive(long index) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.lastPublishedIndex() >= index
                && live.index() >= stream.lastPublishedIndex());
    }

    /** Entries that differ between two dumps, as "family/key: bootstrapped | live". */
    static List<String> differences(Map<String, Object> bootstrapped, Map<String, Object> followed) {
        List<String> diffs = new ArrayList<>();
        for (String family : bootstrapped.keySet()) {
            Map<?, ?> a = (Map<?, ?>) bootstrapped.get(family);
            Map<?, ?> b = (Map<?, ?>) followed.get(family);
            java.util.Set<Object> keys = new java.util.TreeSet<>(Comparator.comparing(Object::toString));
            keys.addAll(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                if (!java.util.Objects.equals(a.get(key), b.get(key))) {
                    diffs.add(family + "/" + key + ": " + a.get(key) + " | " + b.get(key));
                }
            }
        }
        return diffs;
    }

    // ---- internal endpoints ----

    @Test
    void internalEndpointsRefuseCallersWithoutTheInternalKey() {
        assertWso2Error(anonymous.get().uri(INTERNAL + "/applications").exchange().expectStatus().isUnauthorized()
                .expectBody().returnResult().getResponseBody(), 900901L);
        assertWso2Error(anonymous.get().uri(INTERNAL + "/snapshot").header(InternalKey.HEADER, "wrong-key-0123456789")
                .exchange().expectStatus().isUnauthorized().expectBody().returnResult().getResponseBody(), 900901L);
        // a management bearer token (even the administrator's) is not the internal key
        assertWso2Error(client.get().uri(INTERNAL + "/revoked-tokens").exchange().expectStatus().isUnauthorized()
                .expectBody().returnResult().getResponseBody(), 900901L);
    }

    @Test
    void internalEndpointsAnswerSnapshotsStampedWithTheIndexTheyReflect() {
        String[] app = appWithKeys("Stamp " + unique());
        EntityExchangeResult<byte[]> renamed = client.put().uri(DEVPORTAL + "/applications/{id}", app[0])
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(ApplicationsTest.appBody("Stamped " + app[0].substring(0, 8)))).exchange()
                .expectStatus().isOk().expectBody().returnResult();
        long index = eventIndex(renamed);

        JsonNode one = tree(internal().get().uri(INTERNAL + "/applications/{id}?minIndex={i}", app[0], index)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(one.get("index").asLong()).isGreaterThanOrEqualTo(index);
        assertThat(text(one.get("item"), "name")).startsWith("Stamped ");
        JsonNode mapping = tree(internal().get().uri(INTERNAL + "/key-mappings/{ck}", app[1]).exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(text(mapping.get("item"), "applicationId")).isEqualTo(app[0]);
        assertThat(text(mapping.get("item"), "keyType")).isEqualTo("PRODUCTION");
        assertThat(mapping.get("item").get("active").asBoolean()).isTrue();
        JsonNode missing = tree(internal().get().uri(INTERNAL + "/applications/{id}", "no-such-app").exchange()
                .expectStatus().isOk().expectBody().returnResult());
        assertThat(missing.get("item").isNull()).isTrue();

        JsonNode snapshot = tree(internal().get().uri(INTERNAL + "/snapshot?environment=Default&minIndex={i}", index)
                .exchange().expectStatus().isOk().expectBody().returnResult());
        assertThat(snapshot.get("index").asLong()).isGreaterThanOrEqualTo(index);
        assertThat(snapshot.get("applications").findValuesAsString("applicationId")).contains(app[0]);
        assertThat(snapshot.get("policies").findValuesAsString("name")).contains("Unlimited", "Gold");

        assertWso2Error(internal().get().uri(INTERNAL + "/applications?minIndex=soon").exchange()
                .expectStatus().isBadRequest().expectBody().returnResult().getResponseBody(), 400L);
        assertWso2Error(internal().get().uri(INTERNAL + "/apis?environment=Mars").exchange()
                .expectStatus().isBadRequest().expectBody().returnResult().getResponseBody(), null);
    }

    // ---- live versus bootstrapped ----

    @Test
    void aStateBootstrappedAfterManyEventsEqualsOneThatFollowedThemLive() throws Exception {
        assertThat(follower.awaitBootstrap(Duration.ofSeconds(30))).isTrue();
        long eventsAtStart = eventCount();
        String s = unique();
        var random = java.util.concurrent.ThreadLocalRandom.current();
        String appPolicy = "GwApp" + s;
        policy("application", ThrottlePolicyAdminTest.applicationBody(appPolicy, 30));
        String tier = "GwTier" + s;
        String tierId = policy("subscription", Map.of("policyName", tier, "defaultLimit",
                ThrottlePolicyAdminTest.requestCount(50, "min"), "rateLimitCount", 5, "rateLimitTimeUnit", "sec"));
        policy("advanced", ThrottlePolicyAdminTest.advancedBody("GwAdv" + s, 1000));
        List<String> apis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            apis.add(deployedApi(s + i, tier));
        }
        List<String[]> apps = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            apps.add(appWithKeys("GwApp " + s + i));
        }
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < apps.size(); i++) {
            for (int j = 0; j < 3; j++) {
                subscriptions.add(text(tree(subscribe(apis.get((i + j) % apis.size()), apps.get(i)[0],
                        j == 0 ? tier : "Unlimited")), "subscriptionId"));
            }
        }
        client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}&blockState=BLOCKED",
                subscriptions.get(0)).exchange().expectStatus().isOk();
        client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}"
                + "&blockState=PROD_ONLY_BLOCKED", subscriptions.get(4)).exchange().expectStatus().isOk();
        client.put().uri(ThrottlePolicyAdminTest.POLICIES + "/subscription/{id}", tierId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("policyName", tier, "defaultLimit", ThrottlePolicyAdminTest.requestCount(70, "min"),
                        "rateLimitCount", 5, "rateLimitTimeUnit", "sec")))
                .exchange().expectStatus().isOk();
        String deny1 = denyPolicy("IP", Map.of("fixedIp", "10." + random.nextInt(256) + "."
                + random.nextInt(256) + "." + random.nextInt(1, 255)));
        String deny2 = denyPolicy("USER", "mallory" + s);
        String deny3 = denyPolicy("API", "/gw-" + s + "0/1.0.0");
        client.patch().uri(DenyPoliciesTest.ADMIN_API + "/throttling/deny-policy/{id}", deny2)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"conditionStatus\":false}")
                .exchange().expectStatus().isOk();
        client.delete().uri(DenyPoliciesTest.ADMIN_API + "/throttling/deny-policy/{id}", deny3).exchange()
                .expectStatus().isOk();
        String token = accessToken(apps.get(1));
        revoke(apps.get(1), token);
        // a token issued a minute before the regeneration (taken now: on a loaded machine the rest of this test can
        // take longer than a minute, and "a minute before the end" would then be after the cut-off)
        Instant issuedBeforeRegeneration = Instant.now().minusSeconds(60);
        client.post().uri(DEVPORTAL + "/applications/{id}/oauth-keys/{k}/regenerate-secret", apps.get(2)[0],
                apps.get(2)[3]).exchange().expectStatus().isOk();
        // the cut-off comes from a process manager, concurrently with the commands that follow
        String regenerated = apps.get(2)[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> live.isRevoked(regenerated, "old-token",
                Instant.now().minusSeconds(60)) && !live.isRevoked(regenerated, "new", Instant.now().plusSeconds(5)));
        client.delete().uri(DEVPORTAL + "/applications/{id}", apps.get(7)[0]).exchange().expectStatus().isOk();
        lifecycle(apis.get(4), "Deprecate");
        lifecycle(apis.get(4), "Retire");
        lifecycle(apis.get(3), "Block");
        bulk(s, apis.subList(0, 3));
        assertThat(eventCount() - eventsAtStart).as("events the live gateway followed").isGreaterThanOrEqualTo(1000);
        long last = eventIndex(ApplicationsTest.createApp(client, ApplicationsTest.appBody("GwLast " + s)));

        awaitLive(last);
        // the application deletion's process manager revokes keys and deletes subscriptions after the write answered
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            awaitLive(stream.lastPublishedIndex());
            assertThat(differences(bootstrap.load(live.index()).dump(), live.dump())).as("bootstrapped vs live").isEmpty();
        });
        assertThat(live.index()).isGreaterThanOrEqualTo(last);

        // ... and the state says what happened
        assertThat(live.api(apis.get(0))).isPresent();
        assertThat(live.api(apis.get(4))).as("retired: undeployed").isEmpty();
        assertThat(live.api(apis.get(3)).orElseThrow().lifecycleStatus()).isEqualTo("BLOCKED");
        assertThat(live.api(apis.get(0)).orElseThrow().context()).isEqualTo("/gw-" + s + "0/1.0.0");
        assertThat(live.subscription(apps.get(0)[0], apis.get(0)).orElseThrow().status()).isEqualTo("BLOCKED");
        assertThat(live.policy(Policy.Level.SUBSCRIPTION, TENANT, tier).orElseThrow().defaultLimit().amount())
                .isEqualTo(70);
        assertThat(live.policy(Policy.Level.SUBSCRIPTION, TENANT, tier).orElseThrow().burst().amount()).isEqualTo(5);
        assertThat(live.policy(Policy.Level.APPLICATION, TENANT, appPolicy)).isPresent();
        assertThat(live.policy(Policy.Level.API, TENANT, "GwAdv" + s).orElseThrow().conditionalGroups()).hasSize(1);
        assertThat(live.blockConditions(TENANT)).extracting(b -> b.conditionId()).contains(deny1)
                .doesNotContain(deny2, deny3);
        JsonNode claims = claims(token);
        assertThat(live.isRevoked(apps.get(1)[1], text(claims, "jti"),
                Instant.ofEpochSecond(claims.get("iat").asLong()))).isTrue();
        assertThat(live.isRevoked(apps.get(5)[1], "some-other-jti", Instant.now())).isFalse();
        assertThat(live.isRevoked(apps.get(2)[1], "old-token", issuedBeforeRegeneration))
                .as("issued before the secret was regenerated").isTrue();
        assertThat(live.isRevoked(apps.get(7)[1], "any", Instant.now())).as("deleted application's key").isTrue();
        assertThat(live.application(apps.get(7)[0])).isEmpty();
        assertThat(follower.isFollowing()).isTrue();
        assertThat(follower.lag()).isZero();
        JsonNode health = tree(anonymous.get().uri("/actuator/health").exchange().expectBody().returnResult());
        assertThat(text(health.get("components").get("gatewayState"), "status")).isEqualTo("UP");
    }

    /**
     * About a thousand more events, four writers at a time: applications with keys and a subscription each, then
     * renamed three times (the gateway re-reads each).
     */
    void bulk(String s, List<String> apis) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 170; i++) {
                int n = i;
                work.add(pool.submit(() -> {
                    String[] app = appWithKeys("GwBulk " + s + n);
                    subscribe(apis.get(n % apis.size()), app[0], "Unlimited");
                    for (int k = 1; k <= 3; k++) {
                        Map<String, Object> body = ApplicationsTest.appBody("GwBulk " + s + n + " v" + k);
                        client.put().uri(DEVPORTAL + "/applications/{id}", app[0])
                                .contentType(MediaType.APPLICATION_JSON).bodyValue(json(body)).exchange()
                                .expectStatus().isOk();
                    }
                }));
            }
            for (var f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- falling behind the cap ----

    @Test
    void aFollowerThatMissedEntriesReBootstraps() throws Exception {
        GatewayState state = new GatewayState();
        GatewayBootstrap own = new GatewayBootstrap(bootstrap::client, state, "Default");
        BroadcastFollower behind = new BroadcastFollower(stream, own, state,
                new BroadcastFollower.Settings(100, Duration.ofMillis(200), Duration.ofMillis(200), false));
        behind.start();
        try {
            assertThat(behind.awaitBootstrap(Duration.ofSeconds(20))).isTrue();
            String first = text(tree(ApplicationsTest.createApp(client, ApplicationsTest.appBody("Seen " + unique()))),
                    "applicationId");
            await().atMost(Duration.ofSeconds(10)).until(() -> state.application(first).isPresent());
            behind.stop();

            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                missed.add(text(tree(ApplicationsTest.createApp(client,
                        ApplicationsTest.appBody("Missed " + unique()))), "applicationId"));
            }
            long last = eventIndex(ApplicationsTest.createApp(client, ApplicationsTest.appBody("Tail " + unique())));
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.lastPublishedIndex() >= last);
            // the cap passes over the entries this gateway has not read
            redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE,
                    "return redis.call('XTRIM', KEYS[1], 'MAXLEN', 1)", RScript.ReturnType.LONG, List.of(stream.key()));

            behind.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> behind.bootstraps() == 2);
            assertThat(behind.gapsDetected()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> missed.stream().allMatch(id -> state.application(id).isPresent()));
        } finally {
            behind.stop();
        }
    }

    // ---- changes reach a running gateway ----

    @Test
    void revocationBlockingRetirementAndPolicyChangesReachARunningGatewayQuickly() throws Exception {
        assertThat(follower.awaitBootstrap(Duration.ofSeconds(30))).isTrue();
        String s = unique();
        String tier = "Fast" + s;
        String tierId = policy("subscription", Map.of("policyName", tier, "defaultLimit",
                ThrottlePolicyAdminTest.requestCount(5, "min")));
        String apiId = deployedApi(s, tier);
        String[] app = appWithKeys("Fast " + s);
        String subscriptionId = text(tree(subscribe(apiId, app[0], tier)), "subscriptionId");
        String token = accessToken(app);
        JsonNode claims = claims(token);
        String jti = text(claims, "jti");
        Instant iat = Instant.ofEpochSecond(claims.get("iat").asLong());
        await().atMost(Duration.ofSeconds(10)).until(() -> !live.isRevoked(app[1], jti, iat)
                && live.subscription(app[0], apiId).isPresent() && live.api(apiId).isPresent());

        Duration bound = Duration.ofSeconds(5);
        revoke(app, token);
        await().atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> live.isRevoked(app[1], jti, iat));

        client.post().uri(PUBLISHER + "/subscriptions/block-subscription?subscriptionId={id}&blockState=BLOCKED",
                subscriptionId).exchange().expectStatus().isOk();
        await().atMost(bound).pollInterval(Duration.ofMillis(5))
                .until(() -> "BLOCKED".equals(live.subscription(app[0], apiId).orElseThrow().status()));

        client.put().uri(ThrottlePolicyAdminTest.POLICIES + "/subscription/{id}", tierId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(Map.of("policyName", tier, "defaultLimit", ThrottlePolicyAdminTest.requestCount(9, "min"))))
                .exchange().expectStatus().isOk();
        await().atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> live.policy(Policy.Level.SUBSCRIPTION,
                TENANT, tier).map(p -> p.defaultLimit().amount() == 9).orElse(false));

        lifecycle(apiId, "Deprecate");
        lifecycle(apiId, "Retire");
        await().atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> live.api(apiId).isEmpty());
    }
}
