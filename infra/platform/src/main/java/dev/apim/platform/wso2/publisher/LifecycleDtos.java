package dev.apim.platform.wso2.publisher;

import dev.apim.domain.api.ApiLifecycleState;

import java.util.List;

/** WSO2's lifecycle objects: the current state with its transitions, the change response and the history. */
public final class LifecycleDtos {

    private LifecycleDtos() {}

    public record Transition(String event, String targetState) {}

    public record CheckItem(String name, Boolean value, List<String> requiredStates) {}

    /** WSO2's {@code LifecycleState}. */
    public record LifecycleState(String state, List<CheckItem> checkItems, List<Transition> availableTransitions) {
        public static LifecycleState of(ApiLifecycleState state) {
            List<Transition> transitions = state.availableTransitions().entrySet().stream()
                    .map(e -> new Transition(e.getKey().wso2Name(), e.getValue().displayName()))
                    .toList();
            return new LifecycleState(state.displayName(), List.of(), transitions);
        }
    }

    /** WSO2's {@code WorkflowResponse} to a lifecycle change. */
    public record WorkflowResponse(String workflowStatus, String jsonPayload, LifecycleState lifecycleState) {}

    /** WSO2's {@code LifecycleHistoryItem}. */
    public record HistoryItem(String previousState, String postState, String user, String updatedTime) {}

    /** WSO2's {@code LifecycleHistory}. */
    public record History(int count, List<HistoryItem> list) {}
}
