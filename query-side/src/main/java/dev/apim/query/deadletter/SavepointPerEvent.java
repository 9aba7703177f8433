package dev.apim.query.deadletter;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs each event handler of the dead-lettered processing groups inside a savepoint of the processor's
 * transaction. In PostgreSQL a failed statement aborts the whole transaction: without the savepoint, a handler's
 * SQL error would make the dead-letter insert and the token update of the same batch fail too, and the processor
 * would retry the batch forever. With it, the failed handler's writes are rolled back alone, the event is parked
 * and the batch commits.
 *
 * <p>While a processor replays, its handlers skip the savepoint ({@link ReplayFastPath}: two round trips per event);
 * a failure there makes the batch retry with savepoints, so dead-lettering behaves the same on both paths.
 */
public class SavepointPerEvent implements HandlerEnhancerDefinition {

    private final Set<String> groups;
    private final TransactionTemplate nested;

    private final Map<String, ReplayFastPath> replays = new HashMap<>();

    /** Savepoints always (no replay fast path). */
    public SavepointPerEvent(Set<String> groups, PlatformTransactionManager transactions) {
        this(groups, transactions, null);
    }

    /**
     * With the replay fast path on {@code dataSource} (the processors' transactional data source); register
     * {@link #replayBatchGuard(String)} as a handler interceptor of each group's processor.
     */
    public SavepointPerEvent(Set<String> groups, PlatformTransactionManager transactions, DataSource dataSource) {
        this(groups, transactions, dataSource, true);
    }

    /**
     * As above; {@code writeBehind} also buffers the replayed handlers' writes per batch and sends them as JDBC
     * batches before the commit ({@link ReplayFastPath#bufferWrites}).
     */
    public SavepointPerEvent(Set<String> groups, PlatformTransactionManager transactions, DataSource dataSource,
                             boolean writeBehind) {
        this(groups, transactions, dataSource, writeBehind ? groups : Set.of());
    }

    /** As above, buffering the replayed writes of {@code writeBehindGroups} only (the read models'). */
    public SavepointPerEvent(Set<String> groups, PlatformTransactionManager transactions, DataSource dataSource,
                             Set<String> writeBehindGroups) {
        this.groups = Set.copyOf(groups);
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        for (String group : this.groups) {
            replays.put(group, new ReplayFastPath(group, dataSource, writeBehindGroups.contains(group)));
        }
    }

    /** The interceptor that retries a replayed batch whose handler failed without a savepoint. */
    public MessageHandlerInterceptor<EventMessage<?>> replayBatchGuard(String group) {
        ReplayFastPath replay = replays.get(group);
        if (replay == null) {
            throw new IllegalArgumentException("No savepoints for processing group " + group);
        }
        return replay;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        if (group == null || !groups.contains(group.value())) {
            return original;
        }
        ReplayFastPath replay = replays.get(group.value());
        boolean acrossAggregates = original.hasAnnotation(WritesAcrossAggregates.class);
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                    return super.handle(message, target);
                }
                if (replay.applies(message)) {
                    replay.relaxCommit();
                    replay.bufferWrites(message, acrossAggregates);
                    try {
                        return super.handle(message, target);
                    } catch (Exception | Error e) {
                        replay.failed(message);
                        throw e;
                    }
                }
                try {
                    return nested.execute(status -> {
                        try {
                            return super.handle(message, target);
                        } catch (Exception e) {
                            throw new HandlerFailure(e);
                        }
                    });
                } catch (HandlerFailure failure) {
                    throw failure.cause;
                }
            }
        };
    }

    /** Carries a handler's checked exception through the transaction template, which rolls back on it. */
    private static final class HandlerFailure extends RuntimeException {
        private final Exception cause;

        HandlerFailure(Exception cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
