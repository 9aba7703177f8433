package dev.apim.domain.api;

import java.util.Arrays;
import java.util.Optional;

/** The lifecycle actions of WSO2's default lifecycle, by the exact names WSO2's REST API accepts. */
public enum LifecycleAction {
    PUBLISH("Publish"),
    DEPLOY_AS_PROTOTYPE("Deploy as a Prototype"),
    DEMOTE_TO_CREATED("Demote to Created"),
    BLOCK("Block"),
    REPUBLISH("Re-Publish"),
    DEPRECATE("Deprecate"),
    RETIRE("Retire");

    private final String wso2Name;

    LifecycleAction(String wso2Name) {
        this.wso2Name = wso2Name;
    }

    public String wso2Name() { return wso2Name; }

    /** Parses WSO2's action name, ignoring case and surrounding blanks. */
    public static Optional<LifecycleAction> fromWso2Name(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.trim();
        return Arrays.stream(values()).filter(a -> a.wso2Name.equalsIgnoreCase(trimmed)).findFirst();
    }
}
