package dev.apim.platform.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.util.Arrays;
import java.util.Set;

/** Evaluates {@link ConditionalOnRole} against {@code apim.roles}. */
class OnRoleCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Set<String> roles = Roles.parse(context.getEnvironment().getProperty("apim.roles", Roles.ALL));
        var attributes = metadata.getAnnotationAttributes(ConditionalOnRole.class.getName());
        String[] wanted = attributes == null ? new String[0] : (String[]) attributes.get("value");
        return Arrays.stream(wanted).anyMatch(roles::contains);
    }
}
