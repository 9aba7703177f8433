package dev.apim.platform.web;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that cannot be reached is an operational condition (503, retry later), not a bug (500). The exceptions
 * are the real ones the pools and the driver raise (HikariCP's timeout, the driver's SQLSTATE 08001/57P01); the live
 * behaviour with PostgreSQL stopped is exercised by {@code infra/deploy/fault-tests.sh}.
 */
class DatabaseUnavailableResponseTest {

    @Test
    void hikariTimeoutInsideSpringAndAxonWrappersIs503() {
        var hikari = new SQLTransientConnectionException("apim-jdbc - Connection is not available, request timed out",
                "08001", new PSQLException("Connection to 127.0.0.1:20432 refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT));
        var wrapped = new CompletionException(new CannotCreateTransactionException("Could not open JDBC Connection",
                hikari));

        ErrorResponses.Response response = ErrorResponses.of(wrapped);

        assertThat(response.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.body().code()).isEqualTo(503L);
        assertThat(response.body().message()).isEqualTo("Service Unavailable");
        assertThat(response.body().description()).doesNotContain("127.0.0.1").doesNotContain("PSQL");
    }

    @Test
    void administratorShutdownOfAnOpenConnectionIs503() {
        var shutdown = new RuntimeException("append failed",
                new SQLException("terminating connection due to administrator command", "57P01"));

        assertThat(ErrorResponses.of(shutdown).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void otherDatabaseErrorsStay500() {
        var constraint = new RuntimeException(new SQLException("duplicate key", "23505"));

        assertThat(ErrorResponses.of(constraint).status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(ErrorResponses.of(new IllegalStateException("bug")).status())
                .isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
