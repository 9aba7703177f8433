package dev.apim.domain.blockcondition;

import dev.apim.domain.blockcondition.command.ChangeBlockConditionStatus;
import dev.apim.domain.blockcondition.command.CreateBlockCondition;
import dev.apim.domain.blockcondition.command.DeleteBlockCondition;
import dev.apim.domain.blockcondition.event.BlockConditionCreated;
import dev.apim.domain.blockcondition.event.BlockConditionDeleted;
import dev.apim.domain.blockcondition.event.BlockConditionStatusChanged;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.IpAddresses;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.util.Locale;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

/**
 * A deny policy (WSO2's block condition): requests to an API, from an application, a user, an IP address or
 * an IP range are refused by the gateways while it is enabled. One per tenant, type and value.
 */
public class BlockCondition {

    public static final int MAX_VALUE_LENGTH = 255;

    private static final Pattern CONTEXT = Pattern.compile("/[A-Za-z0-9_\\-.~/]*");
    /** Usernames and application owners: letters, digits and {@code . _ - @} (tenant-qualified names). */
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._@\\-]+");
    /** Application names: letters, digits, space and {@code . _ -}. */
    private static final Pattern APPLICATION_NAME = Pattern.compile("[\\p{L}\\p{N} ._\\-]+");

    @AggregateIdentifier
    private String conditionId;
    private String tenant;
    private BlockConditionType type;
    private BlockConditionValue value;
    private boolean enabled;

    /** A condition as a command's caller gets it back. */
    public record View(String conditionId, BlockConditionType type, BlockConditionValue value, boolean enabled) {}

    protected BlockCondition() {
        // for Axon
    }

    @CommandHandler
    public BlockCondition(CreateBlockCondition command, BlockConditionRegistry registry, BlockConditionTargets targets) {
        requireText(command.conditionId(), "conditionId");
        requireText(command.tenant(), "tenant");
        BlockConditionType type = BlockConditionType.parse(command.conditionType());
        BlockConditionValue value = canonical(type, command.conditionValue());
        requireTarget(command.tenant(), type, value, targets);
        registry.claim(command.tenant(), type, valueKey(type, value), command.conditionId());
        apply(new BlockConditionCreated(command.conditionId(), command.tenant(), type, value, command.enabled()));
    }

    /** Returns the condition after the change; setting the status it already has writes nothing. */
    @CommandHandler
    public View handle(ChangeBlockConditionStatus command) {
        requireTenant(command.tenant());
        if (command.enabled() != enabled) {
            apply(new BlockConditionStatusChanged(conditionId, tenant, type, value, command.enabled()));
        }
        return new View(conditionId, type, value, command.enabled());
    }

    @CommandHandler
    public void handle(DeleteBlockCondition command, BlockConditionRegistry registry) {
        requireTenant(command.tenant());
        registry.release(tenant, type, valueKey(type, value), conditionId);
        apply(new BlockConditionDeleted(conditionId, tenant, type, value));
    }

    @EventSourcingHandler
    void on(BlockConditionCreated e) {
        conditionId = e.conditionId();
        tenant = e.tenant();
        type = e.conditionType();
        value = e.conditionValue();
        enabled = e.enabled();
    }

    @EventSourcingHandler
    void on(BlockConditionStatusChanged e) {
        enabled = e.enabled();
    }

    @EventSourcingHandler
    void on(BlockConditionDeleted e) {
        markDeleted();
    }

    /**
     * The key that makes a condition unique within its tenant and type: the canonical value, case-insensitive
     * for names and contexts, with the inversion flag for the IP kinds.
     */
    public static String valueKey(BlockConditionType type, BlockConditionValue value) {
        return switch (type) {
            case API, APPLICATION, USER -> value.value().toLowerCase(Locale.ROOT);
            case IP -> value.fixedIp() + (value.invert() ? "!" : "");
            case IPRANGE -> value.startingIp() + "-" + value.endingIp() + (value.invert() ? "!" : "");
        };
    }

    /**
     * Checks the value's format for its type and returns it in canonical form (what the events carry and
     * responses show); whether the named API or application exists is checked by the command handler.
     */
    public static BlockConditionValue canonical(BlockConditionType type, BlockConditionValue value) {
        if (value == null) {
            throw invalid("A conditionValue is required");
        }
        return switch (type) {
            case API -> {
                onlyValue(type, value);
                String context = trimTrailingSlash(value.value().trim());
                if (!CONTEXT.matcher(context).matches() || context.length() < 2) {
                    throw invalid("'%s' is not an API context; give the context with its version, e.g. "
                            + "/pizzashack/1.0.0, or the bare context for every version", value.value());
                }
                yield BlockConditionValue.of(context);
            }
            case APPLICATION -> {
                onlyValue(type, value);
                String text = value.value().trim();
                int colon = text.indexOf(':');
                if (colon < 0 || colon != text.lastIndexOf(':')) {
                    throw invalid("An APPLICATION condition is 'owner:applicationName', not '%s'", text);
                }
                String owner = text.substring(0, colon).trim();
                String name = text.substring(colon + 1).trim();
                if (!USERNAME.matcher(owner).matches() || !APPLICATION_NAME.matcher(name).matches()) {
                    throw invalid("An APPLICATION condition is 'owner:applicationName' with a non-blank owner "
                            + "(letters, digits, '.', '_', '-', '@') and name (letters, digits, space, '.', '_', '-')");
                }
                yield BlockConditionValue.of(owner + ":" + name);
            }
            case USER -> {
                onlyValue(type, value);
                String user = value.value().trim();
                if (!USERNAME.matcher(user).matches()) {
                    throw invalid("'%s' is not a username (letters, digits, '.', '_', '-', '@')", user);
                }
                yield BlockConditionValue.of(user);
            }
            case IP -> {
                if (value.value() != null || value.startingIp() != null || value.endingIp() != null) {
                    throw invalid("An IP condition is {fixedIp, invert}");
                }
                yield BlockConditionValue.ip(IpAddresses.format(address(value.fixedIp(), "fixedIp")), value.invert());
            }
            case IPRANGE -> {
                if (value.value() != null || value.fixedIp() != null) {
                    throw invalid("An IPRANGE condition is {startingIp, endingIp, invert}");
                }
                byte[] start = address(value.startingIp(), "startingIp");
                byte[] end = address(value.endingIp(), "endingIp");
                if (start.length != end.length) {
                    throw invalid("startingIp and endingIp must be of the same address family");
                }
                if (IpAddresses.compare(start, end) > 0) {
                    throw invalid("startingIp must not be greater than endingIp");
                }
                yield BlockConditionValue.ipRange(IpAddresses.format(start), IpAddresses.format(end), value.invert());
            }
        };
    }

    private static void requireTarget(String tenant, BlockConditionType type, BlockConditionValue value,
                                      BlockConditionTargets targets) {
        if (type == BlockConditionType.API && !targets.apiContextExists(tenant, value.value())) {
            throw invalid("No API has the context '%s'", value.value());
        }
        if (type == BlockConditionType.APPLICATION) {
            int colon = value.value().indexOf(':');
            String owner = value.value().substring(0, colon);
            String name = value.value().substring(colon + 1);
            if (targets.application(tenant, owner, name) == BlockConditionTargets.Lookup.MISSING) {
                throw invalid("User '%s' has no application named '%s'", owner, name);
            }
        }
    }

    private static void onlyValue(BlockConditionType type, BlockConditionValue value) {
        if (value.fixedIp() != null || value.startingIp() != null || value.endingIp() != null || value.invert()) {
            throw invalid("A %s condition's value is a single text", type);
        }
        if (value.value() == null || value.value().isBlank()) {
            throw invalid("A %s condition needs a non-blank value", type);
        }
        if (value.value().length() > MAX_VALUE_LENGTH) {
            throw invalid("A condition value must be at most %d characters", MAX_VALUE_LENGTH);
        }
    }

    private static byte[] address(String text, String field) {
        if (text == null || text.isBlank()) {
            throw invalid("'%s' is required", field);
        }
        return IpAddresses.parse(text.trim()).orElseThrow(() -> invalid("'%s' is not an IPv4 or IPv6 address: '%s'",
                field, text.length() > 64 ? text.substring(0, 64) + "..." : text));
    }

    private static String trimTrailingSlash(String context) {
        String result = context;
        while (result.length() > 1 && result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private void requireTenant(String callerTenant) {
        if (!tenant.equals(callerTenant)) {
            throw DomainException.of(DomainError.BLOCK_CONDITION_NOT_FOUND, "Block condition %s not found", conditionId);
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "'%s' is required", field);
        }
    }

    private static DomainException invalid(String format, Object... args) {
        return DomainException.of(DomainError.BLOCK_CONDITION_INVALID, format, args);
    }
}
