package dev.apim.domain.api.event;

import dev.apim.domain.api.ApiLifecycleState;
import dev.apim.domain.api.LifecycleAction;

/** An API moved from one lifecycle state to another by a WSO2 lifecycle action. */
public record ApiLifecycleChanged(String apiId, ApiLifecycleState previousState, ApiLifecycleState newState, LifecycleAction action) {}
