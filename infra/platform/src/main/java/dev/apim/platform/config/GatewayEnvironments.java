package dev.apim.platform.config;

import dev.apim.domain.api.RevisionDeployment;
import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.platform.wso2.publisher.DeploymentDto;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway environments revisions can be deployed to ({@code apim.gateway.environments}); by default one,
 * WSO2's {@code Default} on vhost {@code localhost}.
 */
@ConfigurationProperties("apim.gateway")
public record GatewayEnvironments(List<Environment> environments) {

    /** A named group of gateways and the virtual hosts it serves. */
    public record Environment(String name, String displayName, List<String> vhosts) {}

    public GatewayEnvironments {
        environments = environments == null || environments.isEmpty()
                ? List.of(new Environment("Default", "Default", List.of("localhost")))
                : List.copyOf(environments);
    }

    /** Checks a deploy request against the known environments and fills in default vhosts. */
    public List<RevisionDeployment> resolve(List<DeploymentDto> requested) {
        if (requested == null || requested.isEmpty()) {
            throw DomainException.of(DomainError.INVALID_INPUT, "List at least one gateway environment to deploy to");
        }
        List<RevisionDeployment> result = new ArrayList<>();
        for (DeploymentDto d : requested) {
            if (d == null || d.name() == null || d.name().isBlank()) {
                throw DomainException.of(DomainError.INVALID_GATEWAY_ENVIRONMENT, "Every deployment needs a 'name'");
            }
            Environment env = environments.stream().filter(e -> e.name().equals(d.name())).findFirst()
                    .orElseThrow(() -> DomainException.of(DomainError.INVALID_GATEWAY_ENVIRONMENT,
                            "Gateway Environment with name '%s' not found", d.name()));
            List<String> vhosts = env.vhosts() == null || env.vhosts().isEmpty() ? List.of("localhost") : env.vhosts();
            String vhost = d.vhost() == null || d.vhost().isBlank() ? vhosts.get(0) : d.vhost();
            if (!vhosts.contains(vhost)) {
                throw DomainException.of(DomainError.INVALID_GATEWAY_ENVIRONMENT,
                        "Environment '%s' has no virtual host '%s'; it has %s", d.name(), vhost, vhosts);
            }
            result.add(new RevisionDeployment(env.name(), vhost, d.displayOnDevportal() == null || d.displayOnDevportal()));
        }
        return result;
    }
}
