package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;

import java.util.ArrayList;
import java.util.List;

/** WSO2's {@code ConditionalGroup}: when every condition matches a request, {@code limit} applies instead of the default. */
public record ConditionalGroup(String description, List<ThrottleCondition> conditions, ThrottleLimit limit) {

    public static final int MAX_CONDITIONS = 20;

    public ConditionalGroup {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    static ConditionalGroup validated(ConditionalGroup group, String field) {
        if (group == null) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' must not be null", field);
        }
        if (group.description() != null && group.description().length() > ThrottlePolicyDefinition.MAX_DESCRIPTION) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.description' must be at most %d characters",
                    field, ThrottlePolicyDefinition.MAX_DESCRIPTION);
        }
        if (group.conditions().isEmpty()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.conditions' needs at least one condition", field);
        }
        if (group.conditions().size() > MAX_CONDITIONS) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s.conditions' may hold at most %d conditions",
                    field, MAX_CONDITIONS);
        }
        List<ThrottleCondition> conditions = new ArrayList<>();
        for (int i = 0; i < group.conditions().size(); i++) {
            conditions.add(ThrottleCondition.validated(group.conditions().get(i), field + ".conditions[" + i + "]"));
        }
        return new ConditionalGroup(group.description(), conditions,
                ThrottleLimit.validated(group.limit(), field + ".limit"));
    }
}
