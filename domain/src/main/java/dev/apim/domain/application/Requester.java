package dev.apim.domain.application;

/**
 * Who asks for a change to an application: only its owner, or an administrator of the same tenant, may
 * change it. Anyone else is told the application does not exist.
 */
public record Requester(String username, String tenant, boolean admin) {}
