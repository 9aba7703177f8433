package dev.apim.platform.jwt;

/** The {@code keytype} claim: which key set of the application the token was issued for. */
public enum KeyType {
    PRODUCTION,
    SANDBOX
}
