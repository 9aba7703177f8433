package dev.apim.gateway.server;

import java.nio.charset.StandardCharsets;

/**
 * A refusal of the gateway, as WSO2's gateway answers it to JSON clients: {@code {"code":"900901","message":...,
 * "description":...}} (the code is a JSON string, as WSO2's fault-to-JSON conversion emits it; routing faults also
 * carry {@code "type":"Status report"}). The constants are WSO2's codes and messages (APISecurityConstants,
 * APIThrottleConstants, the gateway's error-handling table).
 */
public record GatewayError(int status, String code, String type, String message, String description) {

    public static final GatewayError NO_MATCHING_RESOURCE = new GatewayError(404, "404", "Status report",
            "Runtime Error", "No matching resource found for given API Request");
    public static final GatewayError METHOD_NOT_ALLOWED = new GatewayError(405, "405", "Status report",
            "Runtime Error", "Method not allowed for given API resource");
    public static final GatewayError API_BLOCKED = new GatewayError(503, "700700", null, "API blocked",
            "This API has been blocked temporarily. Please try again later or contact the system administrators.");
    public static final GatewayError MESSAGE_BLOCKED = new GatewayError(403, "900805", null, "Message blocked",
            "You have been blocked from accessing the resource");
    public static final GatewayError MISSING_CREDENTIALS = new GatewayError(401, "900902", null,
            "Missing Credentials",
            "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ***'");
    public static final GatewayError INVALID_CREDENTIALS = new GatewayError(401, "900901", null,
            "Invalid Credentials",
            "Invalid Credentials. Make sure you have provided the correct security credentials");
    public static final GatewayError NO_PRODUCTION_ENDPOINT = new GatewayError(401, "900901", null,
            "Invalid Credentials", "Production key offered to an API with no production endpoint");
    public static final GatewayError NO_SANDBOX_ENDPOINT = new GatewayError(401, "900901", null,
            "Invalid Credentials", "Sandbox key offered to an API with no sandbox endpoint");
    public static final GatewayError SUBSCRIPTION_BLOCKED = new GatewayError(401, "900907", null,
            "The requested API is temporarily blocked",
            "User is NOT authorized to access the Resource. API Subscription validation failed.");
    public static final GatewayError SUBSCRIPTION_INACTIVE = new GatewayError(401, "900909", null,
            "The subscription to the API is inactive",
            "User is NOT authorized to access the Resource. API Subscription validation failed.");
    public static final GatewayError RESOURCE_FORBIDDEN = new GatewayError(403, "900908", null,
            "Resource forbidden ",
            "User is NOT authorized to access the Resource. API Subscription validation failed.");
    public static final GatewayError INVALID_SCOPE = new GatewayError(403, "900910", null,
            "The access token does not allow you to access the requested resource",
            "User is NOT authorized to access the Resource: scope validation failed.");
    public static final GatewayError BACKEND_UNREACHABLE = new GatewayError(502, "101503", "Status report",
            "Runtime Error", "Error connecting to the back end");
    public static final GatewayError BACKEND_TIMEOUT = new GatewayError(504, "101504", "Status report",
            "Runtime Error", "Connection timed out: the back end did not answer in time");
    public static final GatewayError BACKEND_CLOSED = new GatewayError(502, "101505", "Status report",
            "Runtime Error", "Connection closed by the back end");
    /** The node has not loaded its state yet (just started): another gateway should take the request. */
    public static final GatewayError NOT_READY = new GatewayError(503, "503", "Status report", "Service Unavailable",
            "The gateway is loading its state; retry shortly");
    public static final GatewayError INTERNAL = new GatewayError(500, "900900", null,
            "Unclassified Authentication Failure", "An unexpected error occurred in the gateway");

    /** The JSON body. */
    public byte[] body() {
        return json(null).getBytes(StandardCharsets.UTF_8);
    }

    /** The JSON body, with {@code extra} name/value pairs appended as string fields (e.g. {@code nextAccessTime}). */
    public String json(String[] extra) {
        StringBuilder b = new StringBuilder(160).append("{\"code\":");
        quote(b, code);
        if (type != null) {
            b.append(",\"type\":");
            quote(b, type);
        }
        b.append(",\"message\":");
        quote(b, message);
        b.append(",\"description\":");
        quote(b, description);
        if (extra != null) {
            for (int i = 0; i + 1 < extra.length; i += 2) {
                b.append(',');
                quote(b, extra[i]);
                b.append(':');
                quote(b, extra[i + 1]);
            }
        }
        return b.append('}').toString();
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
