package dev.apim.command.policy;

import dev.apim.command.support.CommandReceipt;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.common.Tenants;
import dev.apim.domain.policy.ThrottleLimit;
import dev.apim.domain.policy.ThrottlePolicy;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import dev.apim.domain.policy.command.CreateThrottlePolicy;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.platform.consistency.ReadModelProgress;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Creates WSO2's default throttling policies on the first start of a system, through commands like any other
 * policy (principal {@code system}). Idempotent: a policy whose name is already claimed is skipped, and a node
 * that loses the race to another node starting at the same moment skips it too. Runs before the node reports
 * ready and waits for the read model, so the Admin API lists the defaults as soon as the node is up.
 */
public class ThrottlePolicyBootstrap implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ThrottlePolicyBootstrap.class);
    /** WSO2's request count for an Unlimited policy. */
    static final long UNLIMITED_COUNT = Integer.MAX_VALUE;

    /** A default policy: level and definition. */
    record Default(Level level, ThrottlePolicyDefinition definition) {}

    static final List<Default> DEFAULTS = List.of(
            app("10PerMin", 10, "Allows 10 requests per minute"),
            app("20PerMin", 20, "Allows 20 requests per minute"),
            app("50PerMin", 50, "Allows 50 requests per minute"),
            app(ThrottlePolicy.UNLIMITED, UNLIMITED_COUNT, "Allows unlimited requests"),
            sub("Gold", 5000, "Allows 5000 requests per minute"),
            sub("Silver", 2000, "Allows 2000 requests per minute"),
            sub("Bronze", 1000, "Allows 1000 requests per minute"),
            sub("Unauthenticated", 500, "Allows 500 request(s) per minute"),
            sub(ThrottlePolicy.UNLIMITED, UNLIMITED_COUNT, "Allows unlimited requests"),
            api("10KPerMin", 10000, "Allows 10000 requests per minute"),
            api("20KPerMin", 20000, "Allows 20000 requests per minute"),
            api("50KPerMin", 50000, "Allows 50000 requests per minute"),
            api(ThrottlePolicy.UNLIMITED, UNLIMITED_COUNT, "Allows unlimited requests"));

    private final CommandGateway commands;
    private final ThrottlePolicyClaims claims;
    private final ObjectProvider<ReadModelProgress> progress;

    public ThrottlePolicyBootstrap(CommandGateway commands, ThrottlePolicyClaims claims,
                                   ObjectProvider<ReadModelProgress> progress) {
        this.commands = commands;
        this.claims = claims;
        this.progress = progress;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String tenant = Tenants.SUPER_TENANT;
        List<CommandReceipt> receipts = new java.util.ArrayList<>();
        for (Default d : DEFAULTS) {
            if (claims.exists(tenant, d.level(), d.definition().policyName())) {
                continue;
            }
            try {
                CommandReceipt receipt = commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new CreateThrottlePolicy(UUID.randomUUID().toString(), tenant, d.level(), d.definition()))
                        .andMetaData(AuditMetadata.of(tenant, "system", null, "bootstrap")));
                if (receipt != null && receipt.wroteEvents()) {
                    receipts.add(receipt);
                }
            } catch (DomainException e) {
                if (e.error() != DomainError.POLICY_ALREADY_EXISTS) {
                    throw e;
                }
                // another node created it at the same moment
            } catch (ConcurrencyException raced) {
                // another node created it at the same moment
            }
        }
        ReadModelProgress readModels = progress.getIfAvailable();
        if (readModels != null) {
            for (CommandReceipt r : receipts) {
                readModels.awaitProcessed(r.globalIndex(), r.eventType(), r.aggregateId(), Duration.ofSeconds(30))
                        .block();
            }
        }
        if (!receipts.isEmpty()) {
            log.info("Created {} default throttling policies", receipts.size());
        }
    }

    private static Default app(String name, long perMin, String description) {
        return new Default(Level.APPLICATION, ThrottlePolicyDefinition.simple(name, name, description,
                ThrottleLimit.requests(perMin, 1, "min")));
    }

    private static Default sub(String name, long perMin, String description) {
        return new Default(Level.SUBSCRIPTION, ThrottlePolicyDefinition.subscription(name, name, description,
                ThrottleLimit.requests(perMin, 1, "min"), !ThrottlePolicy.UNLIMITED.equals(name)));
    }

    private static Default api(String name, long perMin, String description) {
        return new Default(Level.API, ThrottlePolicyDefinition.simple(name, name, description,
                ThrottleLimit.requests(perMin, 1, "min")));
    }
}
