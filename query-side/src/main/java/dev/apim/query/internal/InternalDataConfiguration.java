package dev.apim.query.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.apim.platform.broadcast.InternalKey;
import dev.apim.platform.config.ConditionalOnRole;
import dev.apim.platform.config.Roles;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The internal data endpoints of the Traffic Manager and their key ({@code apim.internal.key}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRole(Roles.TRAFFICMANAGER)
public class InternalDataConfiguration {

    @Bean
    public InternalDataReader internalDataReader(DatabaseClient db, ConnectionFactory connections) {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return new InternalDataReader(db, connections, json);
    }

    @Bean
    public InternalKeyFilter internalKeyFilter(InternalKey key) {
        return new InternalKeyFilter(key);
    }
}
