package dev.apim.domain.application;

import dev.apim.domain.application.event.ApplicationCreated;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared values for the application tests. */
final class ApplicationTestData {

    static final String APP_ID = "3f1c2a9e-0000-4000-8000-000000000001";
    static final String TENANT = "carbon.super";
    static final String OWNER = "alice";
    static final Requester ALICE = new Requester(OWNER, TENANT, false);
    static final Requester BOB = new Requester("bob", TENANT, false);
    static final Requester ADMIN = new Requester("admin", TENANT, true);

    /** WSO2's default application policies. */
    static final ThrottlePolicyCatalog POLICIES = (tenant, level, name) -> level == ThrottlePolicyCatalog.Level.APPLICATION
            && name != null && List.of("10PerMin", "20PerMin", "50PerMin", "Unlimited").stream()
            .anyMatch(p -> p.equalsIgnoreCase(name))
            ? Optional.of(new ThrottlePolicyCatalog.PolicyRef("p-" + name, List.of("10PerMin", "20PerMin", "50PerMin",
            "Unlimited").stream().filter(p -> p.equalsIgnoreCase(name)).findFirst().orElseThrow(), false))
            : Optional.empty();

    private ApplicationTestData() {}

    static ApplicationDetails details(String name) {
        return new ApplicationDetails(name, "An app", "10PerMin", "JWT", Map.of("team", "blue"), List.of());
    }

    static ApplicationCreated created() {
        return created(APP_ID, "MyApp");
    }

    static ApplicationCreated created(String applicationId, String name) {
        return new ApplicationCreated(applicationId, TENANT, OWNER, name, "An app", "10PerMin", "JWT",
                Map.of("team", "blue"), List.of());
    }

    static Matcher<DomainException> domainError(DomainError expected) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(DomainException exception) {
                return exception.error() == expected;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a DomainException with error ").appendValue(expected);
            }
        };
    }
}
