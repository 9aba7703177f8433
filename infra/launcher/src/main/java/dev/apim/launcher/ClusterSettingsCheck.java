package dev.apim.launcher;

import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.config.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node that runs only some roles is one node of a distributed deployment, so what all-in-one nodes may
 * generate for themselves must be shared, and is refused at start when it is not configured:
 * <ul>
 *   <li>{@code apim.db.url} and a Redis ({@code apim.redis.url} or sentinel/cluster nodes): an embedded database
 *       or Redis would be this node's alone, and the other nodes would never see its writes;</li>
 *   <li>{@code apim.internal.key} on a Traffic Manager: gateways send it, and a key generated into this node's
 *       data directory would differ on every Traffic Manager node (a gateway already refuses to start without it);</li>
 *   <li>{@code apim.keymanager.master-key} on a Key Manager: every Key Manager node must open the same sealed
 *       signing keys (a generated key works on the first node only; later nodes refuse to start).</li>
 * </ul>
 * An all-in-one node ({@code apim.roles=all}) keeps its generated defaults; several all-in-one nodes behind a load
 * balancer are told (a warning) to configure the same keys.
 */
@Component
public class ClusterSettingsCheck {

    private static final Logger log = LoggerFactory.getLogger(ClusterSettingsCheck.class);

    public ClusterSettingsCheck(ApimProperties properties, Environment environment) {
        List<String> missing = missing(properties, environment);
        boolean split = !properties.roleSet().equals(Set.copyOf(Roles.KNOWN));
        if (split && !missing.isEmpty()) {
            throw new IllegalStateException("This node runs roles " + properties.roleSet() + " of a distributed "
                    + "deployment, which needs settings shared by every node: " + String.join("; ", missing));
        }
        if (!split && properties.db().url() != null && !properties.db().url().isBlank() && !missing.isEmpty()) {
            log.warn("If several nodes share this database, configure on every node: {}", String.join("; ", missing));
        }
    }

    static List<String> missing(ApimProperties properties, Environment environment) {
        List<String> missing = new ArrayList<>();
        Set<String> roles = properties.roleSet();
        if (properties.db().url() == null || properties.db().url().isBlank()) {
            missing.add("apim.db.url (APIM_DB_URL), the shared PostgreSQL");
        }
        if (properties.redis().embedded()) {
            missing.add("apim.redis.url (APIM_REDIS_URL) or apim.redis.nodes, the shared Redis");
        }
        if (roles.contains(Roles.TRAFFICMANAGER) && blank(environment.getProperty("apim.internal.key"))) {
            missing.add("apim.internal.key (APIM_INTERNAL_KEY), the same on Traffic Managers and gateways");
        }
        if (roles.contains(Roles.KEYMANAGER) && blank(environment.getProperty("apim.keymanager.master-key"))) {
            missing.add("apim.keymanager.master-key (APIM_KEYMANAGER_MASTER_KEY), the same on every Key Manager");
        }
        return missing;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
