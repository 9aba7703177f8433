package dev.apim.platform.jwt;

/** The {@code aut} claim: an application acting for itself, or on behalf of an end user. */
public enum AuthorizedUserType {
    APPLICATION,
    APPLICATION_USER
}
