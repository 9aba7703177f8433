package dev.apim.domain.api;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** WSO2's default API lifecycle (APILifeCycle.xml of API Manager 4.x, self-transitions removed as WSO2 does). */
public enum ApiLifecycleState {
    CREATED("Created"),
    PROTOTYPED("Prototyped"),
    PUBLISHED("Published"),
    BLOCKED("Blocked"),
    DEPRECATED("Deprecated"),
    RETIRED("Retired");

    private static final Map<ApiLifecycleState, Map<LifecycleAction, ApiLifecycleState>> TRANSITIONS =
            new EnumMap<>(ApiLifecycleState.class);

    static {
        transitions(CREATED,
                LifecycleAction.PUBLISH, PUBLISHED,
                LifecycleAction.DEPLOY_AS_PROTOTYPE, PROTOTYPED);
        transitions(PROTOTYPED,
                LifecycleAction.PUBLISH, PUBLISHED,
                LifecycleAction.DEMOTE_TO_CREATED, CREATED);
        transitions(PUBLISHED,
                LifecycleAction.BLOCK, BLOCKED,
                LifecycleAction.DEPLOY_AS_PROTOTYPE, PROTOTYPED,
                LifecycleAction.DEMOTE_TO_CREATED, CREATED,
                LifecycleAction.DEPRECATE, DEPRECATED);
        transitions(BLOCKED,
                LifecycleAction.DEPRECATE, DEPRECATED,
                LifecycleAction.REPUBLISH, PUBLISHED);
        transitions(DEPRECATED,
                LifecycleAction.RETIRE, RETIRED);
        transitions(RETIRED);
    }

    private final String displayName;

    ApiLifecycleState(String displayName) {
        this.displayName = displayName;
    }

    private static void transitions(ApiLifecycleState from, Object... actionTargetPairs) {
        Map<LifecycleAction, ApiLifecycleState> map = new EnumMap<>(LifecycleAction.class);
        for (int i = 0; i < actionTargetPairs.length; i += 2) {
            map.put((LifecycleAction) actionTargetPairs[i], (ApiLifecycleState) actionTargetPairs[i + 1]);
        }
        TRANSITIONS.put(from, Collections.unmodifiableMap(map));
    }

    /** WSO2's capitalised name ("Published"), used in lifecycle responses. */
    public String displayName() { return displayName; }

    /** The state an action leads to from this state, if the lifecycle allows it. */
    public Optional<ApiLifecycleState> next(LifecycleAction action) {
        return Optional.ofNullable(TRANSITIONS.get(this).get(action));
    }

    /** The actions allowed from this state, in WSO2's order, with their targets. */
    public Map<LifecycleAction, ApiLifecycleState> availableTransitions() {
        return TRANSITIONS.get(this);
    }

    /** States in which consumers may see and subscribe to the API. */
    public boolean isVisibleToConsumers() {
        return this == PUBLISHED || this == PROTOTYPED || this == DEPRECATED;
    }
}
