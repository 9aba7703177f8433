package dev.apim.platform.db;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a thread's schema-qualified SQL to other schemas: while a redirect is set on the current thread,
 * {@link RedirectingJdbcTemplate} rewrites {@code apimgtdb.x} to {@code apimgtdb_rebuild.x} (for each mapped
 * schema) in every statement it runs. This is how a projection rebuild runs the unchanged projection handlers
 * (whose SQL names its tables {@code apimgtdb.api} and so on) into a shadow schema: the rebuild processor's
 * threads carry the redirect, the live processor's do not. Only a schema name followed by a dot, at a word
 * boundary, is rewritten ({@code apimgtdb_rebuild.x} and {@code event_store.x} are left alone).
 */
public final class SchemaRedirect {

    private static final ThreadLocal<SchemaRedirect> CURRENT = new ThreadLocal<>();

    private final Map<String, String> schemas;
    private final Pattern pattern;

    private SchemaRedirect(Map<String, String> schemas) {
        this.schemas = Map.copyOf(schemas);
        this.pattern = Pattern.compile("\\b(" + String.join("|", this.schemas.keySet().stream()
                .map(Pattern::quote).toList()) + ")\\.");
    }

    /** A redirect from each key schema to its value. */
    public static SchemaRedirect of(Map<String, String> schemas) {
        if (schemas.isEmpty()) {
            throw new IllegalArgumentException("no schema to redirect");
        }
        return new SchemaRedirect(schemas);
    }

    /** The current thread's redirect, or null. */
    public static SchemaRedirect current() {
        return CURRENT.get();
    }

    /** Runs {@code task} on this thread with this redirect in force. */
    public void runWith(Runnable task) {
        SchemaRedirect previous = CURRENT.get();
        CURRENT.set(this);
        try {
            task.run();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    public Map<String, String> schemas() {
        return schemas;
    }

    /** The statement with every mapped schema qualifier replaced. */
    public String rewrite(String sql) {
        if (sql == null) {
            return null;
        }
        Matcher m = pattern.matcher(sql);
        if (!m.find()) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 16);
        do {
            m.appendReplacement(out, Matcher.quoteReplacement(schemas.get(m.group(1)) + "."));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }
}
