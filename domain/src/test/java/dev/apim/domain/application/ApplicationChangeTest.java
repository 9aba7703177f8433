package dev.apim.domain.application;

import dev.apim.domain.application.command.DeleteApplication;
import dev.apim.domain.application.command.UpdateApplication;
import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.application.event.ApplicationDeleted;
import dev.apim.domain.application.event.ApplicationUpdated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.axonframework.eventsourcing.AggregateDeletedException;
import org.axonframework.eventsourcing.IncompatibleAggregateException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.apim.domain.application.ApplicationTestData.ADMIN;
import static dev.apim.domain.application.ApplicationTestData.ALICE;
import static dev.apim.domain.application.ApplicationTestData.APP_ID;
import static dev.apim.domain.application.ApplicationTestData.BOB;
import static dev.apim.domain.application.ApplicationTestData.OWNER;
import static dev.apim.domain.application.ApplicationTestData.POLICIES;
import static dev.apim.domain.application.ApplicationTestData.TENANT;
import static dev.apim.domain.application.ApplicationTestData.created;
import static dev.apim.domain.application.ApplicationTestData.details;
import static dev.apim.domain.application.ApplicationTestData.domainError;
import static org.assertj.core.api.Assertions.assertThat;

/** Updating and deleting an application, and who may do either. */
class ApplicationChangeTest {

    private final InMemoryApplicationNames names = new InMemoryApplicationNames();
    private FixtureConfiguration<Application> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Application.class);
        fixture.registerInjectableResource(names);
        fixture.registerInjectableResource(POLICIES);
        names.claim(TENANT, OWNER, "MyApp", APP_ID);
    }

    private static ApplicationUpdated updated(String name, String policy) {
        return new ApplicationUpdated(APP_ID, TENANT, OWNER, name, "An app", policy, "JWT", Map.of("team", "blue"),
                List.of());
    }

    @Test
    void the_owner_can_update_the_details() {
        ApplicationDetails changed = new ApplicationDetails("MyApp", "An app", "50PerMin", "JWT",
                Map.of("team", "blue"), List.of());
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, changed))
                .expectEvents(updated("MyApp", "50PerMin"));
    }

    @Test
    void renaming_claims_the_new_name_and_releases_the_old_one() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, details("Renamed")))
                .expectEvents(updated("Renamed", "10PerMin"));
        assertThat(names.holder(TENANT, OWNER, "renamed")).contains(APP_ID);
        assertThat(names.holder(TENANT, OWNER, "myapp")).isEmpty();
    }

    @Test
    void changing_only_the_case_of_the_name_keeps_the_claim() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, details("MYAPP")))
                .expectEvents(updated("MYAPP", "10PerMin"));
        assertThat(names.holder(TENANT, OWNER, "myapp")).contains(APP_ID);
    }

    @Test
    void a_new_name_must_be_free_for_the_owner() {
        names.claim(TENANT, OWNER, "Taken", "other-app");
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, details("taken")))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_ALREADY_EXISTS));
        assertThat(names.holder(TENANT, OWNER, "myapp")).contains(APP_ID);
    }

    @Test
    void an_update_validates_like_a_create() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, new ApplicationDetails("MyApp", null, "Gold", "JWT",
                        null, null)))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ALICE, new ApplicationDetails("MyApp", null, "10PerMin",
                        "OAUTH", null, null)))
                .expectNoEvents()
                .expectException(domainError(DomainError.INVALID_INPUT));
    }

    @Test
    void another_user_cannot_update_and_is_told_it_does_not_exist() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, BOB, details("Stolen")))
                .expectNoEvents()
                .expectException(DomainException.class)
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
        assertThat(names.holder(TENANT, OWNER, "stolen")).isEmpty();
    }

    @Test
    void the_expected_version_must_be_the_current_one() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, 0L, ALICE, details("Renamed")))
                .expectEvents(updated("Renamed", "10PerMin"));
        fixture.given(created(), updated("Renamed", "10PerMin"))
                .when(new UpdateApplication(APP_ID, 0L, ALICE, details("Again")))
                .expectNoEvents()
                .expectException(ConflictingAggregateVersionException.class);
        fixture.given(created(), updated("Renamed", "10PerMin"))
                .when(new DeleteApplication(APP_ID, 0L, ALICE))
                .expectNoEvents()
                .expectException(ConflictingAggregateVersionException.class);
    }

    @Test
    void a_strangers_stale_version_does_not_reveal_the_application() {
        fixture.given(created(), updated("Renamed", "10PerMin"))
                .when(new UpdateApplication(APP_ID, 0L, BOB, details("Again")))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
        fixture.given(created(), updated("Renamed", "10PerMin"))
                .when(new DeleteApplication(APP_ID, 7L, BOB))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
    }

    @Test
    void a_user_of_another_tenant_with_the_same_name_cannot_update() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, new Requester(OWNER, "other.com", false), details("X")))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
    }

    @Test
    void an_update_needs_a_requester() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, null, details("X")))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
    }

    @Test
    void an_admin_can_update_any_application_and_the_owner_stays() {
        fixture.given(created())
                .when(new UpdateApplication(APP_ID, null, ADMIN, details("Renamed")))
                .expectEvents(updated("Renamed", "10PerMin"));
        assertThat(names.holder(TENANT, OWNER, "renamed")).contains(APP_ID);
    }

    @Test
    void an_id_whose_stream_is_not_an_application_is_refused_without_events() {
        fixture.given(new dev.apim.domain.user.UserRegistered(APP_ID, TENANT, "carol", "hash", java.util.Set.of()))
                .when(new DeleteApplication(APP_ID, null, ADMIN))
                .expectNoEvents()
                .expectException(IncompatibleAggregateException.class);
    }

    @Test
    void the_owner_can_delete_and_the_name_is_released() {
        fixture.given(created())
                .when(new DeleteApplication(APP_ID, null, ALICE))
                .expectEvents(new ApplicationDeleted(APP_ID, TENANT, OWNER, "MyApp"))
                .expectMarkedDeleted();
        assertThat(names.holder(TENANT, OWNER, "myapp")).isEmpty();
    }

    @Test
    void another_user_cannot_delete() {
        fixture.given(created())
                .when(new DeleteApplication(APP_ID, null, BOB))
                .expectNoEvents()
                .expectException(domainError(DomainError.APPLICATION_NOT_FOUND));
        assertThat(names.holder(TENANT, OWNER, "myapp")).contains(APP_ID);
    }

    @Test
    void an_admin_can_delete_any_application() {
        fixture.given(created())
                .when(new DeleteApplication(APP_ID, null, ADMIN))
                .expectEvents(new ApplicationDeleted(APP_ID, TENANT, OWNER, "MyApp"));
    }

    @Test
    void a_deleted_application_cannot_be_updated_or_deleted() {
        ApplicationCreated created = created();
        ApplicationDeleted deleted = new ApplicationDeleted(APP_ID, TENANT, OWNER, "MyApp");
        fixture.given(created, deleted)
                .when(new UpdateApplication(APP_ID, null, ALICE, details("Again")))
                .expectNoEvents()
                .expectException(AggregateDeletedException.class);
        fixture.given(created, deleted)
                .when(new DeleteApplication(APP_ID, null, ALICE))
                .expectException(AggregateDeletedException.class);
    }

    @Test
    void an_updated_name_is_the_one_released_on_delete() {
        names.release(TENANT, OWNER, "MyApp", APP_ID);
        names.claim(TENANT, OWNER, "Second", APP_ID);
        fixture.given(created(), updated("Second", "10PerMin"))
                .when(new DeleteApplication(APP_ID, null, ALICE))
                .expectEvents(new ApplicationDeleted(APP_ID, TENANT, OWNER, "Second"));
        assertThat(names.holder(TENANT, OWNER, "second")).isEmpty();
    }
}
