package dev.apim.domain.policy;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything an administrator defines about a throttling policy, as WSO2's Admin API exposes it for the three
 * levels. Subscription-only fields (burst control, quota behaviour, billing, custom attributes, approval) and
 * advanced-only fields (conditional groups) are empty at the other levels. {@link #validated(Level)} applies
 * the defaults and refuses what is not allowed.
 */
public record ThrottlePolicyDefinition(
        String policyName,
        String displayName,
        String description,
        ThrottleLimit defaultLimit,
        int rateLimitCount,
        String rateLimitTimeUnit,
        boolean stopOnQuotaReach,
        String billingPlan,
        List<CustomAttribute> customAttributes,
        boolean requiresApproval,
        List<ConditionalGroup> conditionalGroups) {

    public static final int MAX_NAME = 60;
    public static final int MAX_DISPLAY_NAME = 255;
    public static final int MAX_DESCRIPTION = 1024;
    public static final int MAX_CUSTOM_ATTRIBUTES = 50;
    public static final int MAX_CONDITIONAL_GROUPS = 50;
    public static final Set<String> RATE_LIMIT_TIME_UNITS = Set.of("sec", "min");
    public static final Set<String> BILLING_PLANS = Set.of("FREE", "COMMERCIAL");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]*$");

    /** A subscription policy's custom attribute (WSO2's {@code CustomAttribute}). */
    public record CustomAttribute(String name, String value) {}

    public ThrottlePolicyDefinition {
        customAttributes = customAttributes == null ? List.of() : List.copyOf(customAttributes);
        conditionalGroups = conditionalGroups == null ? List.of() : List.copyOf(conditionalGroups);
    }

    /** An application or advanced policy: a name and a default limit. */
    public static ThrottlePolicyDefinition simple(String name, String displayName, String description,
                                                  ThrottleLimit limit) {
        return new ThrottlePolicyDefinition(name, displayName, description, limit, 0, null, false, null, List.of(),
                false, List.of());
    }

    /** A subscription policy with WSO2's defaults for everything but the limit. */
    public static ThrottlePolicyDefinition subscription(String name, String displayName, String description,
                                                        ThrottleLimit limit, boolean stopOnQuotaReach) {
        return new ThrottlePolicyDefinition(name, displayName, description, limit, 0, null, stopOnQuotaReach, "FREE",
                List.of(), false, List.of());
    }

    /** Returns this definition with defaults applied for the level, or throws the first rule it breaks. */
    public ThrottlePolicyDefinition validated(Level level) {
        if (level == null) {
            throw DomainException.of(DomainError.POLICY_LEVEL_NOT_SUPPORTED, "A policy level is required");
        }
        validName(policyName);
        String display = displayName == null || displayName.isBlank() ? policyName : displayName.strip();
        if (display.length() > MAX_DISPLAY_NAME) {
            throw invalid("'displayName' must be at most %d characters", MAX_DISPLAY_NAME);
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw invalid("'description' must be at most %d characters", MAX_DESCRIPTION);
        }
        ThrottleLimit limit = ThrottleLimit.validated(defaultLimit, "defaultLimit");
        if (level != Level.SUBSCRIPTION) {
            if (rateLimitCount != 0 || rateLimitTimeUnit != null || stopOnQuotaReach || billingPlan != null
                    || !customAttributes.isEmpty() || requiresApproval) {
                throw invalid("Burst control, stopOnQuotaReach, billingPlan, customAttributes and requiresApproval "
                        + "apply to subscription policies only");
            }
        }
        if (level != Level.API && !conditionalGroups.isEmpty()) {
            throw invalid("'conditionalGroups' apply to advanced (API) policies only");
        }
        return switch (level) {
            case APPLICATION -> simple(policyName, display, description, limit);
            case API -> new ThrottlePolicyDefinition(policyName, display, description, limit, 0, null, false, null,
                    List.of(), false, groups());
            case SUBSCRIPTION -> new ThrottlePolicyDefinition(policyName, display, description, limit,
                    rateLimitCount, burstUnit(), stopOnQuotaReach, plan(), attributes(), requiresApproval, List.of());
        };
    }

    /** Checks a policy name: non-blank, at most {@value #MAX_NAME} characters of letters, digits, '_', '.', '-'. */
    public static void validName(String name) {
        if (name == null || name.isBlank()) {
            throw invalid("'policyName' is required");
        }
        if (name.length() > MAX_NAME) {
            throw invalid("'policyName' must be at most %d characters", MAX_NAME);
        }
        if (!NAME.matcher(name).matches()) {
            throw invalid("'policyName' may hold only letters, digits, '_', '.' and '-', starting with a letter "
                    + "or digit");
        }
    }

    private String burstUnit() {
        if (rateLimitCount < 0) {
            throw invalid("'rateLimitCount' must not be negative");
        }
        if (rateLimitCount == 0) {
            return null;
        }
        if (rateLimitTimeUnit == null || !RATE_LIMIT_TIME_UNITS.contains(rateLimitTimeUnit)) {
            throw invalid("'rateLimitTimeUnit' must be 'sec' or 'min' when rateLimitCount is set");
        }
        return rateLimitTimeUnit;
    }

    private String plan() {
        if (billingPlan == null || billingPlan.isBlank()) {
            return "FREE";
        }
        if (!BILLING_PLANS.contains(billingPlan)) {
            throw invalid("'billingPlan' must be FREE or COMMERCIAL");
        }
        return billingPlan;
    }

    private List<CustomAttribute> attributes() {
        if (customAttributes.size() > MAX_CUSTOM_ATTRIBUTES) {
            throw invalid("At most %d custom attributes are allowed", MAX_CUSTOM_ATTRIBUTES);
        }
        Set<String> seen = new HashSet<>();
        for (CustomAttribute a : customAttributes) {
            if (a == null || a.name() == null || a.name().isBlank()) {
                throw invalid("Every custom attribute needs a 'name'");
            }
            if (a.name().length() > ThrottleCondition.MAX_NAME || (a.value() != null
                    && a.value().length() > ThrottleCondition.MAX_VALUE)) {
                throw invalid("Custom attribute '%s' is too long", shown(a.name()));
            }
            if (a.value() == null) {
                throw invalid("Custom attribute '%s' needs a 'value'", shown(a.name()));
            }
            if (!seen.add(a.name().toLowerCase(Locale.ROOT))) {
                throw invalid("Custom attribute '%s' is listed twice", shown(a.name()));
            }
        }
        return customAttributes;
    }

    private List<ConditionalGroup> groups() {
        if (conditionalGroups.size() > MAX_CONDITIONAL_GROUPS) {
            throw invalid("At most %d conditional groups are allowed", MAX_CONDITIONAL_GROUPS);
        }
        List<ConditionalGroup> groups = new ArrayList<>();
        for (int i = 0; i < conditionalGroups.size(); i++) {
            groups.add(ConditionalGroup.validated(conditionalGroups.get(i), "conditionalGroups[" + i + "]"));
        }
        return groups;
    }

    /** A client-supplied value, shortened for an error message. */
    static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    private static DomainException invalid(String format, Object... args) {
        return DomainException.of(DomainError.INVALID_INPUT, format, args);
    }
}
