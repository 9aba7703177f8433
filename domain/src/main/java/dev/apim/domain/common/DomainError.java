package dev.apim.domain.common;

/**
 * The stable catalogue of business-rule failures. Each carries WSO2's error code where WSO2 has one,
 * and a {@link Kind} that the REST edge maps to an HTTP status; the domain itself knows nothing of HTTP.
 */
public enum DomainError {
    INVALID_INPUT(900400, Kind.INVALID, "Bad Request"),
    INVALID_CONTEXT(900346, Kind.INVALID, "Invalid context provided"),
    INVALID_ENDPOINT_URL(900346, Kind.INVALID, "Endpoint URL(s) is(are) not valid"),
    INVALID_OPERATION(900400, Kind.INVALID, "Invalid API operation"),
    API_NOT_FOUND(900308, Kind.NOT_FOUND, "API Not Found"),
    API_CONTEXT_ALREADY_EXISTS(900251, Kind.CONFLICT, "The API context already exists."),
    API_IMMUTABLE_FIELD(900311, Kind.INVALID, "API fields have state changes"),
    API_HAS_SUBSCRIPTIONS(900343, Kind.CONFLICT, "The API has active subscriptions"),
    API_UPDATE_FORBIDDEN_PER_LC(900380, Kind.FORBIDDEN, "Insufficient permission to update the API"),
    INVALID_LIFECYCLE_ACTION(900303, Kind.INVALID, "Invalid lifecycle action"),
    ILLEGAL_LIFECYCLE_TRANSITION(900303, Kind.CONFLICT, "Lifecycle exception occurred"),
    PUBLISH_PRECONDITION_FAILED(900303, Kind.CONFLICT, "API cannot be published"),
    API_REVISION_NOT_FOUND(900347, Kind.NOT_FOUND, "API Revision Not Found"),
    EXISTING_API_REVISION_DEPLOYMENT_FOUND(900348, Kind.INVALID, "Can not delete API Revision"),
    MAXIMUM_REVISIONS_REACHED(900351, Kind.INVALID, "Can not create API Revision"),
    INVALID_GATEWAY_ENVIRONMENT(900504, Kind.INVALID, "Invalid Gateway Environment"),
    EXISTING_DEPLOYMENT_NOT_FOUND(900356, Kind.NOT_FOUND, "Existing Deployment Not Found"),
    DOCUMENT_ALREADY_EXISTS(900312, Kind.CONFLICT, "Document already exists"),
    DOCUMENT_NOT_FOUND(900315, Kind.NOT_FOUND, "Document not found"),
    DOCUMENT_CONTENT_NOT_FOUND(900314, Kind.NOT_FOUND, "Document content not found"),
    DOCUMENT_INVALID_SOURCE_TYPE(900319, Kind.INVALID, "Invalid document source type"),
    API_DEFINITION_MALFORMED(900500, Kind.INVALID, "Malformed API definition"),
    USER_ALREADY_EXISTS(900300, Kind.CONFLICT, "The user already exists."),
    USER_NOT_FOUND(901502, Kind.NOT_FOUND, "User Not Found"),
    SELF_SIGNUP_DISABLED(900400, Kind.FORBIDDEN, "Self sign-up is disabled"),
    PASSWORD_PATTERN_INVALID(901452, Kind.INVALID, "Password pattern invalid"),
    CURRENT_PASSWORD_INCORRECT(901451, Kind.INVALID, "Current password incorrect"),

    // throttling policies
    POLICY_NOT_FOUND(900961, Kind.NOT_FOUND, "Policy Not found"),
    POLICY_ALREADY_EXISTS(900300, Kind.CONFLICT, "Policy already exists"),
    POLICY_IN_USE(900300, Kind.CONFLICT, "Policy is in use"),
    POLICY_LEVEL_NOT_SUPPORTED(900968, Kind.INVALID, "Throttle Policy level invalid"),
    UNSUPPORTED_THROTTLE_LIMIT_TYPE(900960, Kind.INVALID, "Throttle Limit type is not supported"),
    UNSUPPORTED_THROTTLE_CONDITION_TYPE(900975, Kind.INVALID, "Throttle Condition type is not supported"),

    // deny policies (block conditions)
    BLOCK_CONDITION_NOT_FOUND(900967, Kind.NOT_FOUND, "Block Condition Not Found"),
    BLOCK_CONDITION_ALREADY_EXISTS(900979, Kind.CONFLICT, "The Block Condition exists."),
    BLOCK_CONDITION_INVALID(900975, Kind.INVALID, "Block Condition Error"),

    // applications
    APPLICATION_NOT_FOUND(900307, Kind.NOT_FOUND, "Application not found"),
    APPLICATION_ALREADY_EXISTS(900301, Kind.CONFLICT, "The application already exists."),
    APPLICATION_ACCESS_DENIED(900332, Kind.FORBIDDEN, "No permissions to access the application"),

    // subscriptions and workflows
    SUBSCRIPTION_NOT_FOUND(900310, Kind.NOT_FOUND, "Subscription not found"),
    SUBSCRIPTION_ALREADY_EXISTS(900336, Kind.CONFLICT, "Subscription already exists"),
    SUBSCRIPTION_STATE_INVALID(900318, Kind.CONFLICT, "Invalid state change for subscription"),
    SUBSCRIPTION_API_NOT_AVAILABLE(900318, Kind.CONFLICT, "The API cannot be subscribed to"),
    TIER_NAME_INVALID(900305, Kind.INVALID, "The tier name is invalid."),
    WORKFLOW_NOT_FOUND(900551, Kind.NOT_FOUND, "Workflow error"),
    WORKFLOW_ALREADY_COMPLETED(900552, Kind.INVALID, "Workflow is already completed"),

    // application keys
    APPLICATION_KEY_MAPPING_NOT_FOUND(900331, Kind.NOT_FOUND, "Application Key Mapping Not Found"),
    KEY_MAPPING_ALREADY_EXIST(901408, Kind.CONFLICT, "Key Mappings already exists"),
    INVALID_APPLICATION_PROPERTIES(901410, Kind.INVALID, "Invalid additional properties"),
    INVALID_GRANT_TYPES(900400, Kind.INVALID, "Invalid grant types"),
    INVALID_CALLBACK_URL(900400, Kind.INVALID, "Invalid callback URL"),
    APPLICATION_KEYS_REVOKED(900400, Kind.CONFLICT, "The application keys are revoked"),

    // OAuth2 clients registered through DCR (/client-registration/v0.17/register) and token revocation.
    // WSO2's DCR answers plain HTTP numbers as codes; there is no 9xxxxx code for these, so 900400-style generic
    // codes are used as elsewhere.
    INVALID_OAUTH_CLIENT(900400, Kind.INVALID, "Invalid client registration"),
    OAUTH_CLIENT_NOT_FOUND(900404, Kind.NOT_FOUND, "OAuth client not found"),
    OAUTH_CLIENT_ACCESS_DENIED(900403, Kind.FORBIDDEN, "Not allowed to register a client for another owner"),
    INVALID_TOKEN_REVOCATION(900400, Kind.INVALID, "Invalid token revocation");

    /** How the failure is classified, independent of the transport. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final long code;
    private final Kind kind;
    private final String message;

    DomainError(long code, Kind kind, String message) {
        this.code = code;
        this.kind = kind;
        this.message = message;
    }

    public long code() { return code; }

    public Kind kind() { return kind; }

    public String message() { return message; }
}
