package dev.apim.gateway.analytics;

import java.time.Instant;

/**
 * One call through the gateway, for analytics (WSO2's request/fault event, reduced). Fields are null when the call
 * was refused before they were known (e.g. {@code applicationId} for a call without a valid token).
 *
 * @param errorCode     the WSO2 code of the gateway's refusal, or null when the backend answered
 * @param backendStatus the backend's status, or 0 when it was not called or did not answer
 * @param latencyNanos  from the first byte of the request until the response completed
 */
public record AnalyticsEvent(Instant timestamp, String tenant, String apiId, String apiName, String apiVersion,
                             String apiContext, String method, String resourceTemplate, String applicationId,
                             String user, String keyType, String clientAddress, int status, String errorCode,
                             int backendStatus, boolean throttled, long latencyNanos, String correlationId) {}
