package dev.apim.platform.wso2.identity;

import java.util.List;

/**
 * The body of WSO2 Identity's self sign-up ({@code POST /api/identity/user/v1.0/me}):
 * {@code {"user": {"username", "realm", "password", "claims": [{"uri", "value"}]}, "properties": [...]}}.
 */
public record SelfSignUpRequest(User user, List<Property> properties) {

    /** The user to register. */
    public record User(String username, String realm, String password, List<Claim> claims) {
        @Override
        public String toString() {
            return "User[username=" + username + ", realm=" + realm + ", password=***, claims=" + claims + "]";
        }
    }

    /** A user claim such as {@code http://wso2.org/claims/givenname}. */
    public record Claim(String uri, String value) {}

    /** A free-form sign-up property (WSO2 uses them for consent and callbacks). */
    public record Property(String key, String value) {}
}
