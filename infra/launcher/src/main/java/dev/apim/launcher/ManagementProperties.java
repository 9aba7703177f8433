package dev.apim.launcher;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The management plane's listeners ({@code apim.management.*}).
 *
 * @param port             HTTPS port of Publisher, Developer Portal, Admin and Key Manager REST (WSO2: 9443)
 * @param httpPort         an additional plain-HTTP port (e.g. 9763) for running behind a load balancer; 0 = none
 * @param tls              whether {@code port} speaks TLS
 * @param keystorePassword password of the generated keystore under {@code apim.data-dir}/tls
 * @param hostnames        names and addresses the generated certificate is valid for
 * @param basicAuth        whether HTTP Basic (user name and password) is accepted on the management REST APIs;
 *                         on by default for now, to be switched off once callers use bearer tokens (the
 *                         authenticator is registered by {@code WebConfiguration} on the same property)
 */
@ConfigurationProperties("apim.management")
public record ManagementProperties(
        @DefaultValue("9443") int port,
        @DefaultValue("0") int httpPort,
        @DefaultValue("true") boolean tls,
        @DefaultValue("wso2carbon") String keystorePassword,
        @DefaultValue({"localhost", "127.0.0.1", "::1"}) List<String> hostnames,
        @DefaultValue BasicAuth basicAuth) {

    /** @param enabled whether {@code Authorization: Basic} is accepted ({@code apim.management.basic-auth.enabled}) */
    public record BasicAuth(@DefaultValue("false") boolean enabled) {}
}
