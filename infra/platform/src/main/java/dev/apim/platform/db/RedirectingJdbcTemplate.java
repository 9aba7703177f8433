package dev.apim.platform.db;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The node's {@link org.springframework.jdbc.core.JdbcTemplate}: a plain one, except on a thread that carries a
 * {@link SchemaRedirect}, where every statement's schema qualifiers are rewritten before they reach the driver.
 * The connection is still the one bound to the current Spring transaction, so a redirected projection commits its
 * rows with its tracking token exactly as the live one does. Threads without a redirect pay one thread-local read.
 *
 * <p>On a thread with a {@link WriteBehind} buffer, {@code update(...)} and {@code batchUpdate(sql, items, size,
 * setter)} are recorded into the buffer instead of run (answering 1 row each), and any other use of the template
 * first sends what is buffered. Threads without a buffer pay one more thread-local read.
 */
public class RedirectingJdbcTemplate extends org.springframework.jdbc.core.JdbcTemplate {

    private final DataSource redirecting;

    public RedirectingJdbcTemplate(DataSource dataSource) {
        super(dataSource);
        this.redirecting = new Redirecting(dataSource);
    }

    @Override
    public DataSource getDataSource() {
        // Every JdbcTemplate operation obtains the data source first: a read (or any statement not buffered) sends
        // the buffered writes before it runs, so it sees them.
        WriteBehind buffer = WriteBehind.current();
        if (buffer != null && buffer.pending() > 0 && !buffer.sending()) {
            buffer.flush();
        }
        return SchemaRedirect.current() == null ? super.getDataSource() : redirecting;
    }

    // ---- write-behind ----

    private final WriteBehind.Sender sender = this::send;

    private void send(WriteBehind buffer) {
        execute((ConnectionCallback<Void>) connection -> {
            buffer.sendOn(connection);
            return null;
        });
    }

    @Override
    protected int update(PreparedStatementCreator psc, PreparedStatementSetter pss) throws DataAccessException {
        WriteBehind buffer = WriteBehind.current();
        if (buffer == null || buffer.sending()) {
            return super.update(psc, pss);
        }
        Recording recording = new Recording(super.getDataSource());
        try {
            psc.createPreparedStatement(recording.connection);
        } catch (NotRecordable e) {
            return super.update(psc, pss); // sends the buffer first (getDataSource)
        } catch (SQLException e) {
            throw translateException("PreparedStatementCallback", recording.sql, e);
        } finally {
            recording.release();
        }
        if (recording.sql == null) {
            return super.update(psc, pss);
        }
        List<Object[]> calls = recording.calls;
        buffer.record(sender, recording.sql, ps -> {
            for (Object[] call : calls) {
                try {
                    ((Method) call[0]).invoke(ps, (Object[]) call[1]);
                } catch (InvocationTargetException e) {
                    if (e.getTargetException() instanceof SQLException sql) {
                        throw sql;
                    }
                    throw new IllegalStateException(e.getTargetException());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (pss != null) {
                pss.setValues(ps);
            }
        });
        return 1;
    }

    @Override
    public <T> int[][] batchUpdate(String sql, Collection<T> batchArgs, int batchSize,
                                   ParameterizedPreparedStatementSetter<T> pss) throws DataAccessException {
        WriteBehind buffer = WriteBehind.current();
        if (buffer == null || buffer.sending()) {
            return super.batchUpdate(sql, batchArgs, batchSize, pss);
        }
        for (T item : batchArgs) {
            buffer.record(sender, sql, ps -> pss.setValues(ps, item));
        }
        int size = Math.max(batchSize, 1);
        int[][] counts = new int[(batchArgs.size() + size - 1) / size][];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new int[Math.min(size, batchArgs.size() - i * size)];
            Arrays.fill(counts[i], 1);
        }
        return counts;
    }

    /** A statement creator did something other than prepare a statement and set its parameters. */
    private static final class NotRecordable extends RuntimeException {
        NotRecordable(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * A connection whose {@code prepareStatement(sql)} records the SQL and answers a statement that records its
     * parameter setters; anything else (createArrayOf, metadata) goes to the transaction's real connection.
     */
    private static final class Recording {
        private final DataSource dataSource;
        private Connection real;
        String sql;
        final List<Object[]> calls = new ArrayList<>();
        final Connection connection;
        private final PreparedStatement statement;

        Recording(DataSource dataSource) {
            this.dataSource = dataSource;
            this.connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, this::onConnection);
            this.statement = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this::onStatement);
        }

        private Object onConnection(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement" -> {
                    if (args.length != 1 || sql != null) {
                        throw new NotRecordable("prepareStatement with options, or twice");
                    }
                    sql = (String) args[0];
                    return statement;
                }
                case "close" -> {
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "recording connection";
                }
                default -> {
                    if (real == null) {
                        real = DataSourceUtils.getConnection(dataSource);
                    }
                    return RedirectingJdbcTemplate.invoke(real, method, args);
                }
            }
        }

        private Object onStatement(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("set") || name.equals("clearParameters")) {
                calls.add(new Object[] {method, args});
                return null;
            }
            return switch (name) {
                case "getConnection" -> connection;
                case "close" -> null;
                case "isClosed" -> false;
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "recording statement: " + sql;
                case "getParameterMetaData" -> throw new SQLFeatureNotSupportedException("recording statement");
                default -> throw new NotRecordable(name);
            };
        }

        void release() {
            if (real != null) {
                DataSourceUtils.releaseConnection(real, dataSource);
                real = null;
            }
        }
    }

    /** Hands out the transaction's connection (as {@link DataSourceUtils} would) wrapped in a rewriting proxy. */
    private static final class Redirecting extends DelegatingDataSource {
        Redirecting(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            DataSource target = obtainTargetDataSource();
            Connection connection = DataSourceUtils.doGetConnection(target);
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, new ConnectionHandler(connection, target));
        }
    }

    private static final Set<String> REWRITTEN_ON_CONNECTION = Set.of("prepareStatement", "prepareCall", "nativeSQL");
    private static final Set<String> REWRITTEN_ON_STATEMENT =
            Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

    private static Object[] rewritten(Object[] args) {
        if (args != null && args.length > 0 && args[0] instanceof String sql) {
            SchemaRedirect redirect = SchemaRedirect.current();
            if (redirect != null) {
                Object[] copy = args.clone();
                copy[0] = redirect.rewrite(sql);
                return copy;
            }
        }
        return args;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }

    private record ConnectionHandler(Connection connection, DataSource target) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close")) {
                DataSourceUtils.doReleaseConnection(connection, target);
                return null;
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (REWRITTEN_ON_CONNECTION.contains(name)) {
                return RedirectingJdbcTemplate.invoke(connection, method, rewritten(args));
            }
            Object result = RedirectingJdbcTemplate.invoke(connection, method, args);
            if (name.equals("createStatement") && result instanceof Statement statement) {
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                        (p, m, a) -> RedirectingJdbcTemplate.invoke(statement, m,
                                REWRITTEN_ON_STATEMENT.contains(m.getName()) ? rewritten(a) : a));
            }
            return result;
        }
    }
}
