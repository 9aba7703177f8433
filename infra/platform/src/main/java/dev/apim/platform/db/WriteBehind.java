package dev.apim.platform.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-thread buffer of the writes a {@link RedirectingJdbcTemplate} would otherwise send one by one, sent later as
 * JDBC batches (pgjdbc pipelines a batch: one round trip for all its rows). While a buffer is bound to the thread
 * ({@link #begin}), the template's {@code update(...)} and {@code batchUpdate(sql, items, size, setter)} calls are
 * recorded instead of run and answer an update count of 1; any other use of the template on the thread (a query, a
 * plain statement) first sends what is buffered, so a read sees every earlier write. The owner of the buffer sends
 * the rest with {@link #flush} before its transaction commits.
 *
 * <p><b>Order.</b> Each write is recorded under the current {@link #key} (the caller sets it, e.g. the aggregate of
 * the event being handled). Writes of one key keep their order; writes of different keys are taken to commute, so
 * the flush may reorder them to put writes with the same SQL into one batch. A {@code null} key is a barrier: such a
 * write runs after every earlier write and before every later one. The flush groups the writes into levels (a
 * write's level is one more than the level of the previous write of its key, and never below the last barrier's), and
 * sends each level's writes one batch per distinct statement text.
 */
public final class WriteBehind {

    private static final ThreadLocal<WriteBehind> CURRENT = new ThreadLocal<>();

    /** One buffered write: its ordering key, SQL and how to bind its parameters on a real statement. */
    record Write(Object key, String sql, Binder binder) {}

    /** Binds one write's parameters on a statement prepared for its SQL. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Sends buffered writes; the template that recorded them (so schema redirects and transactions apply). */
    interface Sender {
        void send(WriteBehind buffer);
    }

    private final List<Write> writes = new ArrayList<>();
    private Object key;
    private Sender sender;
    private boolean sending;
    private long statements;
    private long batches;

    private WriteBehind() {}

    /** Binds a new, empty buffer to the current thread (replacing none: one at a time). */
    public static WriteBehind begin() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("a write-behind buffer is already bound to this thread");
        }
        WriteBehind buffer = new WriteBehind();
        CURRENT.set(buffer);
        return buffer;
    }

    /** The buffer bound to the current thread, or null. */
    public static WriteBehind current() {
        return CURRENT.get();
    }

    /** Unbinds this buffer from the thread; writes still buffered are dropped (their transaction is rolled back). */
    public void end() {
        writes.clear();
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /** The ordering key of the writes recorded from now on; {@code null} makes each of them a barrier. */
    public void key(Object key) {
        this.key = key;
    }

    /** Writes recorded and not yet sent. */
    public int pending() {
        return writes.size();
    }

    /** Statements sent so far, and the batches (round trips) they took. */
    public long sentStatements() {
        return statements;
    }

    public long sentBatches() {
        return batches;
    }

    /** Sends what is buffered, through the template that recorded it (on the current transaction's connection). */
    public void flush() {
        if (!writes.isEmpty() && !sending && sender != null) {
            sending = true;
            try {
                sender.send(this);
            } finally {
                sending = false;
            }
        }
    }

    boolean sending() {
        return sending;
    }

    void record(Sender from, String sql, Binder binder) {
        if (sender == null) {
            sender = from;
        } else if (sender != from) {
            // Two templates would each need their own connection handling; one buffer serves one template.
            throw new IllegalStateException("one write-behind buffer serves one JdbcTemplate");
        }
        writes.add(new Write(key, sql, binder));
    }

    /** Sends every buffered write on {@code connection}, in levels, one JDBC batch per distinct SQL of a level. */
    void sendOn(Connection connection) throws SQLException {
        List<Write> toSend = new ArrayList<>(writes);
        writes.clear();
        for (Map<String, List<Write>> level : levels(toSend)) {
            for (Map.Entry<String, List<Write>> group : level.entrySet()) {
                try (PreparedStatement ps = connection.prepareStatement(group.getKey())) {
                    List<Write> same = group.getValue();
                    if (same.size() == 1) {
                        same.get(0).binder().bind(ps);
                        ps.executeUpdate();
                    } else {
                        for (Write write : same) {
                            write.binder().bind(ps);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    statements += same.size();
                    batches++;
                }
            }
        }
    }

    /** The writes in levels (see the class comment), each level's writes grouped by SQL in first-seen order. */
    static List<Map<String, List<Write>>> levels(List<Write> writes) {
        List<Map<String, List<Write>>> levels = new ArrayList<>();
        Map<Object, Integer> last = new HashMap<>();
        int floor = 0;
        for (Write write : writes) {
            int level;
            if (write.key() == null) {
                level = levels.size();
                floor = level + 1;
            } else {
                Integer previous = last.get(write.key());
                level = Math.max(floor, previous == null ? 0 : previous + 1);
                last.put(write.key(), level);
            }
            while (levels.size() <= level) {
                levels.add(new LinkedHashMap<>());
            }
            levels.get(level).computeIfAbsent(write.sql(), s -> new ArrayList<>()).add(write);
        }
        return levels;
    }
}
