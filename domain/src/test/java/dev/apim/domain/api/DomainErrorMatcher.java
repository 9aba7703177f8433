package dev.apim.domain.api;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Matches a {@link DomainException} by its {@link DomainError}, for the fixture's {@code expectException}. */
final class DomainErrorMatcher extends TypeSafeMatcher<DomainException> {

    private final DomainError expected;

    private DomainErrorMatcher(DomainError expected) {
        this.expected = expected;
    }

    static Matcher<DomainException> domainError(DomainError expected) {
        return new DomainErrorMatcher(expected);
    }

    @Override
    protected boolean matchesSafely(DomainException exception) {
        return exception.error() == expected;
    }

    @Override
    public void describeTo(Description description) {
        description.appendText("a DomainException with error ").appendValue(expected);
    }

    @Override
    protected void describeMismatchSafely(DomainException exception, Description description) {
        description.appendText("error was ").appendValue(exception.error())
                .appendText(" (").appendText(exception.getMessage()).appendText(")");
    }
}
