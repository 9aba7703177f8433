package dev.apim.domain.keys;

/** WSO2's two key types: an application has at most one key mapping of each. */
public enum KeyType { PRODUCTION, SANDBOX }
