package dev.apim.command.users;

import dev.apim.command.support.CommandReceipt;
import dev.apim.domain.common.Tenants;
import dev.apim.domain.user.RegisterUser;
import dev.apim.domain.user.User;
import dev.apim.eventstore.AuditMetadata;
import dev.apim.eventstore.EventStoreConfiguration;
import dev.apim.platform.consistency.ReadModelProgress;
import dev.apim.platform.security.PasswordHashing;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.JdbcTemplate;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * Creates the bootstrap {@code admin} user on the first start of a system: the password comes from
 * {@code APIM_ADMIN_PASSWORD} ({@code apim.admin.password}), or is generated and printed once. The user is an
 * event like any other (its password only as a slow hash), so it survives rebuilds of {@code shareddb}.
 */
public class AdminBootstrap implements ApplicationListener<ApplicationReadyEvent> {

    public static final String ADMIN = "admin";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final CommandGateway commands;
    private final JdbcTemplate jdbc;
    private final ObjectProvider<ReadModelProgress> progress;
    private final String configuredPassword;

    public AdminBootstrap(CommandGateway commands, JdbcTemplate jdbc, ObjectProvider<ReadModelProgress> progress,
                          String configuredPassword) {
        this.commands = commands;
        this.jdbc = jdbc;
        this.progress = progress;
        this.configuredPassword = configuredPassword;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        String tenant = Tenants.SUPER_TENANT;
        String userId = User.idOf(tenant, ADMIN);
        Integer existing = jdbc.queryForObject("SELECT count(*) FROM " + EventStoreConfiguration.SCHEMA
                + ".domain_event_entry WHERE aggregate_identifier = ?", Integer.class, userId);
        if (existing != null && existing > 0) {
            return;
        }
        boolean generated = configuredPassword == null || configuredPassword.isBlank();
        String password = generated ? generatePassword() : configuredPassword;
        if (!generated && password.length() < 8) {
            throw new IllegalStateException("APIM_ADMIN_PASSWORD must be at least 8 characters");
        }
        try {
            CommandReceipt receipt = commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                            new RegisterUser(userId, tenant, ADMIN, PasswordHashing.hash(password), Set.of("admin")))
                    .andMetaData(AuditMetadata.of(tenant, "system", null, "bootstrap")));
            ReadModelProgress readModels = progress.getIfAvailable();
            if (readModels != null && receipt.wroteEvents()) {
                readModels.awaitProcessed(receipt.globalIndex(), receipt.eventType(), receipt.aggregateId(),
                        Duration.ofSeconds(30)).block();
            }
        } catch (ConcurrencyException raced) {
            return; // another node registered the admin at the same moment
        }
        if (generated) {
            String banner = "\n============================================================\n"
                    + " Bootstrap administrator created (shown only this once):\n"
                    + "   username: " + ADMIN + "\n"
                    + "   password: " + password + "\n"
                    + " Set APIM_ADMIN_PASSWORD before the first start to choose it.\n"
                    + "============================================================\n";
            System.out.println(banner);
        } else {
            log.info("Bootstrap administrator '{}' created with the password from APIM_ADMIN_PASSWORD", ADMIN);
        }
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
