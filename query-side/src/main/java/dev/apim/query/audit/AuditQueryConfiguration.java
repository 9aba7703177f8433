package dev.apim.query.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;

/** The audit trail's reader: the event store itself, no projection. */
@Configuration(proxyBeanMethods = false)
public class AuditQueryConfiguration {

    @Bean
    public AuditLog auditLog(DatabaseClient db) {
        return new AuditLog(db);
    }
}
