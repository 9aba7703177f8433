package dev.apim.query.rebuild;

import dev.apim.query.broadcast.BroadcastRebuildTarget;
import dev.apim.query.progress.TokenProgress;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Projection rebuilds on every node: the read-model schemas (every {@link ProcessingGroup} bean of the groups
 * read-your-writes tracks, run again with their SQL redirected into {@code <schema>_rebuild}) and, on Traffic
 * Managers, the broadcast stream.
 */
@Configuration(proxyBeanMethods = false)
public class RebuildConfiguration {

    @Bean
    public ProjectionRebuilds projectionRebuilds(TokenProgress progress, ListableBeanFactory beans,
                                                 DataSource dataSource, JdbcTemplate jdbc,
                                                 PlatformTransactionManager transactions,
                                                 ObjectProvider<EventStore> eventStore,
                                                 ObjectProvider<TokenStore> tokenStore,
                                                 ObjectProvider<TransactionManager> axonTransactions,
                                                 ObjectProvider<EventProcessingConfiguration> processing,
                                                 ObjectProvider<BroadcastRebuildTarget> broadcast,
                                                 ObjectProvider<MeterRegistry> meters,
                                                 @Value("${apim.rebuild.batch-size:500}") int batchSize,
                                                 @Value("${apim.projections.replay-write-behind:true}") boolean writeBehind) {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("apim.rebuild.batch-size must be between 1 and 10000");
        }
        Map<String, Supplier<RebuildTarget>> targets = new LinkedHashMap<>();
        for (String group : progress.processors().stream().sorted().toList()) {
            targets.put(group, () -> new SchemaRebuildTarget(group, handlers(beans, group), dataSource, jdbc));
        }
        BroadcastRebuildTarget broadcastTarget = broadcast.getIfAvailable();
        if (broadcastTarget != null) {
            targets.put(broadcastTarget.name(), () -> broadcastTarget);
        }
        ProjectionRebuilds rebuilds = new ProjectionRebuilds(targets, dataSource, jdbc,
                new TransactionTemplate(transactions),
                new ProjectionRebuilds.Axon(eventStore::getObject, tokenStore::getObject,
                        axonTransactions::getObject, processing::getObject),
                batchSize, meters.getIfAvailable());
        rebuilds.bufferWrites(writeBehind);
        return rebuilds;
    }

    /** The live projection beans of a group (they hold no state of their own: every write is SQL). */
    static List<Object> handlers(ListableBeanFactory beans, String group) {
        List<Object> handlers = new ArrayList<>();
        for (String name : beans.getBeanNamesForAnnotation(ProcessingGroup.class)) {
            Class<?> type = beans.getType(name);
            ProcessingGroup annotation = type == null ? null : type.getAnnotation(ProcessingGroup.class);
            if (annotation != null && annotation.value().equals(group)) {
                handlers.add(beans.getBean(name));
            }
        }
        return handlers;
    }
}
