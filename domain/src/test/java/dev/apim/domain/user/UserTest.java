package dev.apim.domain.user;

import dev.apim.domain.common.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

class UserTest {

    private static final String ID = User.idOf("carbon.super", "erin");
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

    private AggregateTestFixture<User> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(User.class);
    }

    private UserRegistered registered() {
        return new UserRegistered(ID, "carbon.super", "erin", HASH, Set.of("subscriber"));
    }

    @Test
    void registeringAUserRecordsOnlyTheHash() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(ID, "carbon.super", "erin", HASH, Set.of("subscriber")))
                .expectEvents(registered());
    }

    @Test
    void aRoleOutsideTheKnownOnesIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new RegisterUser(ID, "carbon.super", "erin", HASH, Set.of("root")))
                .expectException(DomainException.class)
                .expectNoEvents();
    }

    @Test
    void lockingAnUnlockedUserRecordsTheLock() {
        fixture.given(registered())
                .when(new LockUser(ID, true, "left the company"))
                .expectEvents(new UserLockChanged(ID, "carbon.super", "erin", true, "left the company"));
    }

    @Test
    void lockingALockedUserWritesNothing() {
        fixture.given(registered(), new UserLockChanged(ID, "carbon.super", "erin", true, null))
                .when(new LockUser(ID, true, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void unlockingALockedUserRecordsTheUnlock() {
        fixture.given(registered(), new UserLockChanged(ID, "carbon.super", "erin", true, null))
                .when(new LockUser(ID, false, null))
                .expectEvents(new UserLockChanged(ID, "carbon.super", "erin", false, null));
    }

    @Test
    void unlockingAnUnlockedUserWritesNothing() {
        fixture.given(registered())
                .when(new LockUser(ID, false, null))
                .expectNoEvents();
    }

    @Test
    void anOverlongLockReasonIsRefused() {
        fixture.given(registered())
                .when(new LockUser(ID, true, "x".repeat(501)))
                .expectException(DomainException.class)
                .expectNoEvents();
    }
}
