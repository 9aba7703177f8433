package dev.apim.platform.db;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * The node's {@link org.springframework.jdbc.core.JdbcTemplate}: a plain one, except on a thread that carries a
 * {@link SchemaRedirect}, where every statement's schema qualifiers are rewritten before they reach the driver.
 * The connection is still the one bound to the current Spring transaction, so a redirected projection commits its
 * rows with its tracking token exactly as the live one does. Threads without a redirect pay one thread-local read.
 */
public class RedirectingJdbcTemplate extends org.springframework.jdbc.core.JdbcTemplate {

    private final DataSource redirecting;

    public RedirectingJdbcTemplate(DataSource dataSource) {
        super(dataSource);
        this.redirecting = new Redirecting(dataSource);
    }

    @Override
    public DataSource getDataSource() {
        return SchemaRedirect.current() == null ? super.getDataSource() : redirecting;
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
