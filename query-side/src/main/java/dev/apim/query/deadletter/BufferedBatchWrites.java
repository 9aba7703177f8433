package dev.apim.query.deadletter;

import dev.apim.platform.db.WriteBehind;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A handler interceptor for a processor that only replays (a projection rebuild): every batch's writes through the
 * node's JdbcTemplate are buffered ({@link WriteBehind}, ordered by the event's aggregate) and sent as JDBC batches
 * before the batch commits. A failure to send fails the batch like a handler failure would.
 */
public final class BufferedBatchWrites implements MessageHandlerInterceptor<EventMessage<?>> {

    private final String key = BufferedBatchWrites.class.getName() + "." + System.identityHashCode(this);
    private final Set<Class<?>> acrossAggregates;

    /** For the given handler objects (their {@link WritesAcrossAggregates} handlers' events are barriers). */
    public BufferedBatchWrites(Collection<?> handlers) {
        this.acrossAggregates = acrossAggregates(handlers);
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        UnitOfWork<?> root = unitOfWork.root();
        WriteBehind buffer = (WriteBehind) root.resources().get(key);
        if (buffer == null) {
            WriteBehind created = beginFor(root);
            root.resources().put(key, created);
            root.onPrepareCommit(u -> created.flush());
            buffer = created;
        }
        EventMessage<?> message = unitOfWork.getMessage();
        buffer.key(orderingKey(message, acrossAggregates.contains(message.getPayloadType())));
        return chain.proceed();
    }

    /**
     * A new write-behind buffer bound to this thread for the batch of {@code root}, unbound when the batch is cleaned
     * up (committed or rolled back). A buffer a batch left bound (it cannot happen unless a cleanup was skipped) is
     * ended first: its writes belonged to a transaction that is over.
     */
    static WriteBehind beginFor(UnitOfWork<?> root) {
        WriteBehind stale = WriteBehind.current();
        if (stale != null) {
            stale.end();
        }
        WriteBehind created = WriteBehind.begin();
        root.onCleanup(u -> created.end());
        return created;
    }

    /** The write-behind ordering key of an event's writes: its aggregate, or null (a barrier). */
    static Object orderingKey(Message<?> message, boolean acrossAggregates) {
        return !acrossAggregates && message instanceof DomainEventMessage<?> domain
                && domain.getAggregateIdentifier() != null
                ? domain.getType() + ":" + domain.getAggregateIdentifier() : null;
    }

    /** The event types some handler of these objects handles with {@link WritesAcrossAggregates}. */
    static Set<Class<?>> acrossAggregates(Collection<?> handlers) {
        Set<Class<?>> types = new HashSet<>();
        for (Object handler : handlers) {
            for (Class<?> c = handler.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method method : c.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(WritesAcrossAggregates.class)
                            && method.isAnnotationPresent(EventHandler.class) && method.getParameterCount() > 0) {
                        types.add(method.getParameterTypes()[0]);
                    }
                }
            }
        }
        return Set.copyOf(types);
    }
}
