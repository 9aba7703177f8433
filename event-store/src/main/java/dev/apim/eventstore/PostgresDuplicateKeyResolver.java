package dev.apim.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Recognises PostgreSQL's unique violation (SQLState {@value #UNIQUE_VIOLATION}) anywhere in the cause chain of a
 * failed append. Axon's {@code JdbcSQLErrorCodesResolver} only recognises {@code SQLIntegrityConstraintViolationException},
 * which the PostgreSQL driver never throws: with it, two nodes appending to one aggregate at once made the loser a
 * plain {@code EventStoreException} (a 500, never retried) instead of a {@code ConcurrencyException} that
 * {@code ConcurrentWriteRetry} retries. The only unique keys of {@code domain_event_entry} are (aggregate, sequence)
 * and the random event identifier, so a unique violation on append means a lost race.
 */
public final class PostgresDuplicateKeyResolver implements PersistenceExceptionResolver {

    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
