package dev.apim.query.rebuild;

import dev.apim.platform.db.RedirectingJdbcTemplate;
import dev.apim.platform.db.SchemaRedirect;
import dev.apim.platform.db.WriteBehind;
import dev.apim.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's JdbcTemplate with a {@link WriteBehind} buffer on the thread: every form of update the projections use
 * is recorded, nothing reaches the database until a read (or the flush), the result is what running them one by one
 * gives, and it combines with a schema redirect.
 */
class WriteBehindTemplateTest {

    @Test
    void bufferedWritesAreSentInBatchesBeforeAReadAndGiveTheSameRows() {
        String url = TestServices.freshDatabase("writebehind");
        DriverManagerDataSource dataSource = new DriverManagerDataSource(url);
        RedirectingJdbcTemplate jdbc = new RedirectingJdbcTemplate(dataSource);
        jdbc.execute("CREATE SCHEMA apimgtdb; CREATE TABLE apimgtdb.t (id TEXT PRIMARY KEY, v INT, tags TEXT[], "
                + "at TIMESTAMPTZ, note TEXT); CREATE SCHEMA apimgtdb_rebuild; "
                + "CREATE TABLE apimgtdb_rebuild.t (LIKE apimgtdb.t INCLUDING ALL)");
        TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        Timestamp at = Timestamp.from(Instant.parse("2026-01-02T03:04:05Z"));

        Runnable writes = () -> {
            for (int i = 0; i < 20; i++) {
                String id = "k" + i;
                WriteBehind buffer = WriteBehind.current();
                if (buffer != null) {
                    buffer.key(id);
                }
                int n = i;
                jdbc.update(con -> {
                    var ps = con.prepareStatement("INSERT INTO apimgtdb.t (id, v, tags, at) VALUES (?, ?, ?, ?)");
                    ps.setString(1, id);
                    ps.setInt(2, n);
                    ps.setArray(3, con.createArrayOf("text", new Object[] {"x", "y" + n}));
                    ps.setTimestamp(4, at);
                    return ps;
                });
                // same key: must run after the insert, whatever else is batched
                jdbc.update("UPDATE apimgtdb.t SET v = v * 10, note = ? WHERE id = ?", null, id);
                jdbc.update("UPDATE apimgtdb.t SET tags = ? WHERE id = ? AND v >= 100",
                        ps -> {
                            ps.setArray(1, ps.getConnection().createArrayOf("text", new Object[] {"big"}));
                            ps.setString(2, id);
                        });
                jdbc.batchUpdate("UPDATE apimgtdb.t SET note = coalesce(note, '') || ? WHERE id = ?",
                        List.of("a", "b"), 100, (ps, s) -> {
                            ps.setString(1, s);
                            ps.setString(2, id);
                        });
            }
        };
        // one by one, no buffer
        tx.executeWithoutResult(s -> writes.run());
        List<Map<String, Object>> direct = jdbc.queryForList("SELECT id, v, tags::text, at, note FROM apimgtdb.t ORDER BY id");
        jdbc.update("DELETE FROM apimgtdb.t");

        WriteBehind buffer = WriteBehind.begin();
        try {
            tx.executeWithoutResult(s -> {
                writes.run();
                assertThat(buffer.pending()).isEqualTo(100);
                // a read through the template sends the buffer first
                assertThat(jdbc.queryForObject("SELECT count(*) FROM apimgtdb.t", Integer.class)).isEqualTo(20);
                assertThat(buffer.pending()).isZero();
            });
        } finally {
            buffer.end();
        }
        assertThat(buffer.sentStatements()).isEqualTo(100);
        assertThat(buffer.sentBatches()).as("one batch per statement text and level").isEqualTo(5);
        assertThat(jdbc.queryForList("SELECT id, v, tags::text, at, note FROM apimgtdb.t ORDER BY id"))
                .isEqualTo(direct);
        assertThat(WriteBehind.current()).isNull();

        // with a schema redirect: the buffered writes go to the shadow, sent by flush() inside the transaction
        SchemaRedirect redirect = SchemaRedirect.of(Map.of("apimgtdb", "apimgtdb_rebuild"));
        WriteBehind shadow = WriteBehind.begin();
        try {
            redirect.runWith(() -> tx.executeWithoutResult(s -> {
                writes.run();
                shadow.flush();
            }));
        } finally {
            shadow.end();
        }
        assertThat(jdbc.queryForList("SELECT id, v, tags::text, at, note FROM apimgtdb_rebuild.t ORDER BY id"))
                .isEqualTo(direct);
    }
}
