package dev.apim.gateway.model;

/**
 * An enabled deny policy: {@code type} API (value: the API context, e.g. {@code /pizzashack/1.0.0}), APPLICATION
 * (value {@code owner:appName}), IP (value an address), IPRANGE (value {@code start-end}), USER (value a
 * username). {@code invert} matches everything but the value (IP and IPRANGE).
 */
public record BlockCondition(String conditionId, String tenant, String type, String value, boolean invert) {}
