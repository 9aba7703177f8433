package dev.apim.query.broadcast;

import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.keys.event.AccessTokenRevoked;
import dev.apim.domain.keys.event.TokensRevokedIssuedBefore;
import dev.apim.domain.subscription.event.SubscriptionBlocked;
import dev.apim.domain.api.event.ApiDocumentDeleted;
import dev.apim.platform.broadcast.BroadcastNotification;
import dev.apim.platform.broadcast.BroadcastProperties;
import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.broadcast.NotificationType;
import dev.apim.platform.broadcast.StreamPosition;
import dev.apim.testsupport.TestServices;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The broadcast processor's handler and the stream's publishing script against a real Redis. */
class BroadcastPublisherTest {

    private static RedissonClient redisson;
    private BroadcastStream stream;
    private BroadcastPublisher publisher;
    private String key;

    @BeforeAll
    static void redis() {
        Config config = new Config();
        config.useSingleServer().setAddress(TestServices.redisUri());
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void close() {
        redisson.shutdown();
    }

    @BeforeEach
    void freshStream() {
        key = "apim:test-broadcast:{" + UUID.randomUUID() + "}";
        stream = new BroadcastStream(redisson, new BroadcastProperties(key, 100));
        publisher = new BroadcastPublisher(stream, () -> "store-1", BroadcastPublisherTest::indexOf);
    }

    /** The tests put the event's index in its metadata (the configuration reads it from the event store). */
    private static long indexOf(org.axonframework.eventhandling.EventMessage<?> message,
                                org.axonframework.eventhandling.TrackingToken token) {
        return (Long) message.getMetaData().get("index");
    }

    private void deliver(long index, Object event) {
        // the token is the furthest one (as Axon delivers a gap's event): the index must not come from it
        publisher.on(event, GenericEventMessage.asEventMessage(event)
                        .andMetaData(Map.of("tenant", "carbon.super", "index", index)),
                GapAwareTrackingToken.newInstance(Math.max(index, 12), Set.of()));
    }

    private List<BroadcastStream.Entry> all() {
        return stream.read(StreamPosition.START, 10_000, Duration.ofMillis(100));
    }

    private static ApplicationCreated app(String id) {
        return new ApplicationCreated(id, "carbon.super", "alice", "App " + id, null, "Unlimited", "JWT", Map.of(),
                List.of());
    }

    @Test
    void eachEventBecomesANotificationWithItsIndexTenantTypeAndSequence() {
        Instant expires = Instant.parse("2030-01-01T00:00:00Z");
        deliver(5, app("a1"));
        deliver(7, new SubscriptionBlocked("s1", "acme.com", "api1", "a1", true));
        deliver(9, new AccessTokenRevoked("revocations:ck", "carbon.super", "ck", "jti-1", expires, "user"));
        deliver(11, new TokensRevokedIssuedBefore("revocations:ck", "carbon.super", "ck", expires, "secret"));

        List<BroadcastStream.Entry> entries = all();
        assertThat(entries).extracting(e -> e.notification().type()).containsExactly(
                NotificationType.APPLICATION_CREATE, NotificationType.SUBSCRIPTIONS_UPDATE,
                NotificationType.TOKEN_REVOCATION, NotificationType.TOKEN_REVOCATION_CUTOFF);
        assertThat(entries).extracting(BroadcastStream.Entry::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(entries).extracting(e -> e.position().toString()).containsExactly("5-1", "7-1", "9-1", "11-1");
        BroadcastNotification sub = entries.get(1).notification();
        assertThat(sub.index()).isEqualTo(7);
        assertThat(sub.tenant()).isEqualTo("acme.com"); // the event's own tenant, not the metadata's
        assertThat(sub.id()).isEqualTo("s1");
        assertThat(sub.data()).containsEntry("apiId", "api1").containsEntry("applicationId", "a1");
        BroadcastNotification revoked = entries.get(2).notification();
        assertThat(revoked.id()).isEqualTo("jti-1");
        assertThat(revoked.data()).containsEntry("consumerKey", "ck").containsEntry("expiresAt", expires.toString());
        assertThat(entries.get(3).notification().data()).containsEntry("issuedBefore", expires.toString());
    }

    @Test
    void eventsAGatewayDoesNotNeedPublishNothing() {
        deliver(3, new ApiDocumentDeleted("api1", "doc1"));
        assertThat(all()).isEmpty();
    }

    @Test
    void redeliveryAndReplayAddNothing() {
        for (long i = 1; i <= 5; i++) {
            deliver(i, app("a" + i));
        }
        for (long i = 1; i <= 5; i++) { // a redelivered batch, or a processor reset to the start
            deliver(i, app("a" + i));
        }
        assertThat(all()).extracting(BroadcastStream.Entry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stream.lastPublishedIndex()).isEqualTo(5);
    }

    @Test
    void aLateEventBelowTheNewestIndexIsAppendedOnceAfterIt() {
        deliver(10, app("a10"));
        deliver(12, app("a12"));
        deliver(11, app("a11")); // a transaction that committed after index 12's (a gap in the event store)
        deliver(11, app("a11"));
        List<BroadcastStream.Entry> entries = all();
        assertThat(entries).extracting(e -> e.position().toString()).containsExactly("10-1", "12-1", "12-2");
        assertThat(entries).extracting(e -> e.notification().index()).containsExactly(10L, 12L, 11L);
        assertThat(entries).extracting(BroadcastStream.Entry::sequence).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aConsumerStartsAfterTheNewestEntryItsStateReflects() {
        deliver(10, app("a10"));
        deliver(12, app("a12"));
        deliver(11, app("a11"));
        deliver(20, app("a20"));
        assertThat(stream.startAfter(5)).isEqualTo(new BroadcastStream.Start(0, StreamPosition.START));
        assertThat(stream.startAfter(10)).isEqualTo(new BroadcastStream.Start(1, new StreamPosition(10, 1)));
        // a state at 12 reflects the late event 11 as well
        assertThat(stream.startAfter(12)).isEqualTo(new BroadcastStream.Start(3, new StreamPosition(12, 2)));
        assertThat(stream.startAfter(25)).isEqualTo(new BroadcastStream.Start(4, new StreamPosition(20, 1)));
    }

    @Test
    void theStreamIsCappedAndAConsumerBehindTheCapSeesASequenceJump() {
        for (long i = 1; i <= 1_000; i++) {
            deliver(i, app("a" + i));
        }
        long length = redisson.getStream(key, StringCodec.INSTANCE).size();
        assertThat(length).isLessThan(1_000).isGreaterThanOrEqualTo(100);

        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE,
                "return redis.call('XTRIM', KEYS[1], 'MAXLEN', 10)", RScript.ReturnType.LONG, List.of(key));
        // a consumer whose state is at index 500 can no longer start from the stream
        assertThat(stream.startAfter(500).tooOld()).isTrue();
        assertThat(stream.startAfter(500).position()).isEqualTo(new StreamPosition(991, 1));
        // one that had read up to 500 reads sequence 991 next: a jump
        assertThat(stream.read(new StreamPosition(500, 1), 1, Duration.ofMillis(100)))
                .extracting(BroadcastStream.Entry::sequence).containsExactly(991L);
    }

    @Test
    void aStreamLeftByAnotherEventStoreStartsAfresh() {
        for (long i = 1; i <= 50; i++) {
            deliver(i, app("a" + i));
        }
        // the database was created anew: its indexes start again, on the same Redis
        publisher = new BroadcastPublisher(stream, () -> "store-2", BroadcastPublisherTest::indexOf);
        deliver(3, app("b3"));
        deliver(4, app("b4"));
        List<BroadcastStream.Entry> entries = all();
        assertThat(entries).extracting(BroadcastStream.Entry::sequence).containsExactly(1L, 2L);
        assertThat(entries).extracting(e -> e.notification().id()).containsExactly("b3", "b4");
        assertThat(stream.lastPublishedIndex()).isEqualTo(4);
    }
}
