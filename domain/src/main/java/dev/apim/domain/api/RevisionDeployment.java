package dev.apim.domain.api;

/** A revision's placement on one named gateway environment. */
public record RevisionDeployment(String environment, String vhost, boolean displayOnDevportal) {}
