package dev.apim.gateway.state;

import dev.apim.gateway.model.Policy;
import dev.apim.platform.broadcast.InternalData;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory state's lookups and writes (no I/O: a pure data structure). */
class GatewayStateTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final String T = "carbon.super";

    private static InternalData.Snapshot snapshot() {
        return new InternalData.Snapshot(42, "Default",
                List.of(new InternalData.ApiItem("api1", T, "Pets", "/pets/1.0.0", "1.0.0", true, "PUBLISHED", "rev1",
                        null, "https://backend", null, List.of(new InternalData.ResourceItem("GET", "/pets", true,
                        "Unlimited", List.of("read"))))),
                List.of(new InternalData.ApplicationItem("app1", T, "App", "alice", "Unlimited")),
                List.of(new InternalData.SubscriptionItem("sub1", "api1", "app1", T, "Gold", "UNBLOCKED")),
                List.of(new InternalData.KeyMappingItem("ck1", "app1", T, "PRODUCTION", true),
                        new InternalData.KeyMappingItem("ck2", "app1", T, "SANDBOX", false)),
                List.of(new InternalData.PolicyItem("p1", "SUBSCRIPTION", T, "Gold",
                        new InternalData.LimitItem("REQUEST_COUNT", 5000, 60_000),
                        new InternalData.LimitItem("REQUEST_COUNT", 10, 1_000), true, List.of())),
                List.of(new InternalData.BlockConditionItem("b1", T, "IP", "10.0.0.1", false)),
                List.of(new InternalData.RevokedTokenItem("jti-revoked", "ck1", T, NOW.plusSeconds(3600))),
                List.of(new InternalData.CutoffItem("ck1", T, NOW.minusSeconds(60))));
    }

    private static GatewayState loaded() {
        GatewayState state = new GatewayState(Clock.fixed(NOW, ZoneOffset.UTC));
        state.replace(snapshot());
        return state;
    }

    @Test
    void aSnapshotIsServedByEveryLookup() {
        GatewayState state = loaded();
        assertThat(state.index()).isEqualTo(42);
        assertThat(state.apis()).singleElement().satisfies(a -> {
            assertThat(a.context()).isEqualTo("/pets/1.0.0");
            assertThat(a.resources()).singleElement().satisfies(r -> assertThat(r.scopes()).containsExactly("read"));
        });
        assertThat(state.keyMapping("ck1").orElseThrow().applicationId()).isEqualTo("app1");
        assertThat(state.application("app1").orElseThrow().owner()).isEqualTo("alice");
        assertThat(state.subscription("app1", "api1").orElseThrow().policy()).isEqualTo("Gold");
        Policy gold = state.policy(Policy.Level.SUBSCRIPTION, T, "Gold").orElseThrow();
        assertThat(gold.defaultLimit()).isEqualTo(new Policy.Limit(Policy.Limit.Type.REQUEST_COUNT, 5000,
                Duration.ofMinutes(1)));
        assertThat(gold.burst().window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(state.policy(Policy.Level.APPLICATION, T, "Gold")).isEmpty();
        assertThat(state.blockConditions(T)).extracting(b -> b.value()).containsExactly("10.0.0.1");
        assertThat(state.blockConditions("other.tenant")).isEmpty();
    }

    @Test
    void aTokenIsRevokedByJtiByCutOffOrWhenItsKeyIsUnknownOrInactive() {
        GatewayState state = loaded();
        assertThat(state.isRevoked("ck1", "fresh", NOW)).isFalse();
        assertThat(state.isRevoked("ck1", "jti-revoked", NOW)).isTrue();
        assertThat(state.isRevoked("ck1", "old", NOW.minusSeconds(61))).isTrue();
        assertThat(state.isRevoked("ck1", "same-second", NOW.minusSeconds(60))).isFalse();
        assertThat(state.isRevoked("ck1", "no-iat", null)).isTrue();
        assertThat(state.isRevoked("ck2", "x", NOW)).as("inactive key").isTrue();
        assertThat(state.isRevoked("unknown", "x", NOW)).isTrue();
        state.revokeIssuedBefore("ck1", NOW.minusSeconds(600)); // an older cut-off does not move it back
        assertThat(state.isRevoked("ck1", "old", NOW.minusSeconds(61))).isTrue();
    }

    @Test
    void writesKeepTheSecondaryIndexesRight() {
        GatewayState state = loaded();
        state.putSubscription(new dev.apim.gateway.model.Subscription("sub1", "api1", "app1", T, "Gold", "BLOCKED"));
        assertThat(state.subscription("app1", "api1").orElseThrow().status()).isEqualTo("BLOCKED");
        state.removeSubscription("sub1");
        assertThat(state.subscription("app1", "api1")).isEmpty();

        state.putPolicy("p1", WireMapping.policy(new InternalData.PolicyItem("p1", "SUBSCRIPTION", T, "Gold", null, null,
                true, List.of())));
        assertThat(state.policy(Policy.Level.SUBSCRIPTION, T, "Gold").orElseThrow().unlimited()).isTrue();
        state.removePolicy("p1");
        assertThat(state.policy(Policy.Level.SUBSCRIPTION, T, "Gold")).isEmpty();

        state.putBlockCondition(new dev.apim.gateway.model.BlockCondition("b2", T, "USER", "mallory", false));
        assertThat(state.blockConditions(T)).extracting(b -> b.conditionId()).containsExactly("b1", "b2");
        state.removeBlockCondition("b1");
        state.removeBlockCondition("b2");
        assertThat(state.blockConditions(T)).isEmpty();
    }

    @Test
    void dumpsAreEqualExactlyWhenTheStatesAre() {
        GatewayState a = loaded();
        GatewayState b = loaded();
        assertThat(a.dump()).isEqualTo(b.dump());
        b.revokeToken("another", NOW.plusSeconds(10));
        assertThat(a.dump()).isNotEqualTo(b.dump());
        a.revokeToken("another", NOW.plusSeconds(10));
        assertThat(a.dump()).isEqualTo(b.dump());
        // expired revocations are not part of the comparable state
        a.revokeToken("expired", NOW.minusSeconds(1));
        assertThat(a.dump()).isEqualTo(b.dump());
        assertThat(a.dump().get("apis").toString()).contains("api1");
    }
}
