package dev.apim.eventstore;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.TimestampWriter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.Serializer;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Axon's event append, unchanged (same SQL, same serialization: {@link JdbcEventStorageEngineStatements#appendEvents}),
 * except that the insert also returns each row's {@code global_index}, which is remembered in the current unit of
 * work. The command receipt ({@code CommandReceiptInterceptor}) needs the global index of a command's last event;
 * Axon's append does not return generated keys, so it used to read it back with a {@code SELECT} by event
 * identifier: one more round trip per command. With the key returned by the insert itself (PostgreSQL's
 * {@code RETURNING}, in the batch's own round trip) that read goes away. {@link #globalIndexOf} falls back to
 * "unknown" outside a unit of work or for events appended some other way, and the receipt then still reads it.
 */
public final class ReturningAppend implements AppendEventsStatementBuilder {

    private static final String RESOURCE = ReturningAppend.class.getName() + ".globalIndexes";

    private final String globalIndexColumn;

    public ReturningAppend(String globalIndexColumn) {
        this.globalIndexColumn = globalIndexColumn;
    }

    @Override
    public PreparedStatement build(Connection connection, EventSchema schema, Class<?> dataType,
                                   List<? extends EventMessage<?>> events, Serializer serializer,
                                   TimestampWriter timestampWriter) throws SQLException {
        Connection returningKeys = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new ReturningConnection(connection, globalIndexColumn));
        PreparedStatement statement = JdbcEventStorageEngineStatements.appendEvents(returningKeys, schema, dataType,
                events, serializer, timestampWriter);
        List<String> identifiers = events.stream().map(EventMessage::getIdentifier).toList();
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, new CapturingStatement(statement, identifiers));
    }

    /** The global index the append of the current unit of work returned for this event, if it did. */
    public static OptionalLong globalIndexOf(String eventIdentifier) {
        if (!CurrentUnitOfWork.isStarted()) {
            return OptionalLong.empty();
        }
        Object map = CurrentUnitOfWork.get().root().resources().get(RESOURCE);
        if (map instanceof Map<?, ?> indexes && indexes.get(eventIdentifier) instanceof Long index) {
            return OptionalLong.of(index);
        }
        return OptionalLong.empty();
    }

    /** Prepares the insert asking the driver for the generated global index (it appends RETURNING). */
    private record ReturningConnection(Connection target, String column) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("prepareStatement") && args != null && args.length == 1
                    && args[0] instanceof String sql) {
                return target.prepareStatement(sql, new String[]{column});
            }
            return forward(target, method, args);
        }
    }

    /** After the batch ran, maps the events (in batch order) to the keys the driver returned (same order). */
    private record CapturingStatement(PreparedStatement target, List<String> identifiers) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result = forward(target, method, args);
            if (method.getName().equals("executeBatch") && CurrentUnitOfWork.isStarted()) {
                Map<String, Long> indexes = new HashMap<>();
                try (ResultSet keys = target.getGeneratedKeys()) {
                    for (int i = 0; i < identifiers.size() && keys.next(); i++) {
                        indexes.put(identifiers.get(i), keys.getLong(1));
                    }
                }
                @SuppressWarnings("unchecked")
                Map<String, Long> existing = (Map<String, Long>) CurrentUnitOfWork.get().root().resources()
                        .computeIfAbsent(RESOURCE, k -> new HashMap<String, Long>());
                existing.putAll(indexes);
            }
            return result;
        }
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
