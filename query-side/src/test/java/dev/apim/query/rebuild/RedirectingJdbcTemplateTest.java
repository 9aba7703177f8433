package dev.apim.query.rebuild;

import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.platform.db.SchemaRedirect;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's JdbcTemplate sends a redirected thread's SQL to the shadow schema, inside the current transaction. */
class RedirectingJdbcTemplateTest {

    private final SchemaRedirect redirect = SchemaRedirect.of(Map.of("apimgtdb", "apimgtdb_rebuild"));

    @Test
    void theTemplateRedirectsOnlyOnARedirectedThreadAndInTheCurrentTransaction() {
        String url = TestServices.freshDatabase("redirect");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        RedirectingJdbcTemplate jdbc = new RedirectingJdbcTemplate(dataSource);
        jdbc.execute("CREATE SCHEMA apimgtdb; CREATE TABLE apimgtdb.t (v TEXT);"
                + "CREATE SCHEMA apimgtdb_rebuild; CREATE TABLE apimgtdb_rebuild.t (v TEXT)");
        TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));

        jdbc.update("INSERT INTO apimgtdb.t VALUES ('live')");
        redirect.runWith(() -> tx.executeWithoutResult(s -> {
            jdbc.update("INSERT INTO apimgtdb.t VALUES (?)", "shadow");
            jdbc.batchUpdate("INSERT INTO apimgtdb.t VALUES ('batch')");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.t", Integer.class)).isEqualTo(2);
            s.setRollbackOnly();
        }));
        assertThat(jdbc.queryForList("SELECT v FROM apimgtdb.t", String.class)).containsExactly("live");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb_rebuild.t", Integer.class))
                .as("rolled back with the transaction").isZero();
        redirect.runWith(() -> jdbc.update("INSERT INTO apimgtdb.t VALUES ('shadow')"));
        assertThat(jdbc.queryForList("SELECT v FROM apimgtdb_rebuild.t", String.class)).containsExactly("shadow");
        assertThat(SchemaRedirect.current()).isNull();
    }
}
