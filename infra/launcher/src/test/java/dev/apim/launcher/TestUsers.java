package dev.apim.launcher;

import dev.apim.domain.common.Tenants;
import dev.apim.domain.user.RegisterUser;
import dev.apim.domain.user.User;
import dev.apim.platform.security.PasswordHashing;
import org.axonframework.commandhandling.gateway.CommandGateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Registers users for end-to-end tests through the real command path and waits until they can sign in. */
final class TestUsers {

    static final String PASSWORD = "it-User-Secret-42";

    private TestUsers() {}

    /** A new user of the super tenant with the given roles; returns its username. */
    static String register(CommandGateway gateway, String username, String... roles) {
        gateway.sendAndWait(new RegisterUser(User.idOf(Tenants.SUPER_TENANT, username), Tenants.SUPER_TENANT,
                username, PasswordHashing.hash(PASSWORD), Set.of(roles)));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (LauncherTestBase.queryLong("SELECT count(*) FROM shareddb.um_user WHERE username = ?", username) == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("user " + username + " never reached shareddb.um_user");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return username;
    }
}
