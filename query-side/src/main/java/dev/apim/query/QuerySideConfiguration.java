package dev.apim.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.db.ChangeSignals;
import dev.apim.platform.security.CredentialStore;
import dev.apim.query.progress.TokenProgress;
import dev.apim.query.publisher.ApiProjection;
import dev.apim.query.publisher.ApiReadModel;
import dev.apim.query.users.SharedDbCredentialStore;
import dev.apim.query.users.UserProjection;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.ProcessingGroup;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.r2dbc.core.DatabaseClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side's wiring: the projections into {@code apimgtdb} and {@code shareddb} (pooled streaming
 * processors named after the schema they write), their R2DBC readers and the read-your-writes tracker.
 */
@Configuration(proxyBeanMethods = false)
public class QuerySideConfiguration {

    /** Jackson 2 for the read models' JSON columns (the web layer has its own Jackson 3 mapper). */
    static ObjectMapper readModelJson() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Bean
    public ApiProjection apiProjection(JdbcTemplate jdbc) {
        return new ApiProjection(jdbc, readModelJson());
    }

    @Bean
    public UserProjection userProjection(JdbcTemplate jdbc) {
        return new UserProjection(jdbc);
    }

    @Bean
    public ApiReadModel apiReadModel(DatabaseClient db) {
        return new ApiReadModel(db, readModelJson());
    }

    @Bean
    public CredentialStore credentialStore(DatabaseClient db) {
        return new SharedDbCredentialStore(db);
    }

    /**
     * Read-your-writes over every projection bean: each class annotated {@link ProcessingGroup} is found here,
     * so a new projection takes part without being listed.
     */
    @Bean(destroyMethod = "close")
    public TokenProgress readModelProgress(DatabaseClient db, ListableBeanFactory beans, ChangeSignals signals,
                                           ApimProperties properties) {
        Map<String, List<Class<?>>> handlers = new LinkedHashMap<>();
        for (String name : beans.getBeanNamesForAnnotation(ProcessingGroup.class)) {
            Class<?> type = beans.getType(name);
            ProcessingGroup group = type == null ? null : type.getAnnotation(ProcessingGroup.class);
            if (group != null) {
                handlers.computeIfAbsent(group.value(), k -> new ArrayList<>()).add(type);
            }
        }
        return new TokenProgress(db, readModelJson(), handlers, signals, properties.consistency().fallbackPoll());
    }

    @Bean
    public ConfigurerModule readModelCommitSignals(TokenProgress progress) {
        return configurer -> progress.processors().forEach(name -> configurer.eventProcessing()
                .registerHandlerInterceptor(name, c -> progress.commitSignal()));
    }
}
