package dev.apim.query.devportal;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Non-blocking reads of {@code shareddb.api_search}, always narrowed to what a Developer Portal caller may see:
 * the caller's tenant, lifecycle {@value #VISIBLE_STATES_SQL}, and visibility PUBLIC or PRIVATE (tenant users),
 * or RESTRICTED to a role the caller has.
 */
public class ApiSearchReadModel {

    /** WSO2's default Developer Portal statuses (CREATED, BLOCKED, DEPRECATED and RETIRED are not listed). */
    static final String VISIBLE_STATES_SQL = "PUBLISHED, PROTOTYPED";

    private static final String VISIBLE = "tenant = :tenant AND lifecycle_status IN ('PUBLISHED', 'PROTOTYPED') "
            + "AND (visibility IN ('PUBLIC', 'PRIVATE') OR (visibility = 'RESTRICTED' AND visible_roles && CAST(:roles AS text[])))";

    /** One API as discovery knows it. */
    public record Row(String apiId, String name, String context, String version, String provider, String description,
                      String type, List<String> tags, List<String> policies, String lifecycleStatus,
                      Instant created, Instant updated) {}

    /** A page and the total that matched. */
    public record Page(List<Row> rows, long total) {}

    /** Parsed {@code query}: free text and attribute filters ({@code name}, {@code tag}, ...). */
    public record Search(String text, Map<String, String> fields) {}

    private final DatabaseClient db;

    public ApiSearchReadModel(DatabaseClient db) {
        this.db = db;
    }

    /** The API if the caller may see it; empty otherwise (never telling whether it exists). */
    public Mono<Row> visible(String tenant, Set<String> roles, String apiId) {
        return db.sql("SELECT * FROM shareddb.api_search WHERE " + VISIBLE + " AND api_id = :id")
                .bind("tenant", tenant).bind("roles", roles(roles)).bind("id", apiId)
                .map(ApiSearchReadModel::row).one();
    }

    public Mono<Page> search(String tenant, Set<String> roles, Search search, int limit, int offset) {
        StringBuilder where = new StringBuilder(VISIBLE);
        List<Object[]> binds = new ArrayList<>();
        binds.add(new Object[]{"tenant", tenant});
        binds.add(new Object[]{"roles", roles(roles)});
        int i = 0;
        for (var f : search.fields().entrySet()) {
            String p = "f" + i++;
            switch (f.getKey()) {
                case "tag" -> {
                    where.append(" AND EXISTS (SELECT 1 FROM unnest(tags) t WHERE lower(t) = :").append(p).append(')');
                    binds.add(new Object[]{p, f.getValue().toLowerCase(Locale.ROOT)});
                }
                case "name", "context", "description", "provider", "version" -> {
                    where.append(" AND coalesce(").append(f.getKey()).append(", '') ILIKE :").append(p)
                            .append(" ESCAPE '\\'");
                    binds.add(new Object[]{p, "%" + escapeLike(f.getValue()) + "%"});
                }
                default -> throw new IllegalArgumentException(f.getKey());
            }
        }
        String tsQuery = tsQuery(search.text());
        String order = "lower(name), version, api_id";
        if (search.text() != null && !search.text().isBlank()) {
            if (tsQuery != null) {
                where.append(" AND (search_document @@ to_tsquery('simple', :tsq) OR name ILIKE :textLike ESCAPE '\\')");
                binds.add(new Object[]{"tsq", tsQuery});
                order = "ts_rank(search_document, to_tsquery('simple', :tsq)) DESC, " + order;
            } else {
                where.append(" AND name ILIKE :textLike ESCAPE '\\'");
            }
            binds.add(new Object[]{"textLike", "%" + escapeLike(search.text().trim()) + "%"});
        }
        var count = bindAll(db.sql("SELECT count(*) AS total FROM shareddb.api_search WHERE " + where), binds)
                .map(r -> r.get("total", Long.class)).one();
        var rows = bindAll(db.sql("SELECT * FROM shareddb.api_search WHERE " + where + " ORDER BY " + order
                        + " LIMIT :limit OFFSET :offset"), binds)
                .bind("limit", limit).bind("offset", offset)
                .map(ApiSearchReadModel::row).all().collectList();
        return Mono.zip(rows, count).map(t -> new Page(t.getT1(), t.getT2()));
    }

    /**
     * Free text as a prefix-matching full-text query: every word (letters, digits, underscore) must match the
     * start of a word of the API; null when the text has no such word.
     */
    static String tsQuery(String text) {
        if (text == null) {
            return null;
        }
        List<String> words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+"))
                .filter(w -> !w.isEmpty()).limit(16).map(w -> w + ":*").toList();
        return words.isEmpty() ? null : String.join(" & ", words);
    }

    private static String[] roles(Set<String> roles) {
        String[] result = roles.stream().map(r -> r.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        // an empty array literal binds without an element type; "" is never a role
        return result.length == 0 ? new String[]{""} : result;
    }

    private static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, List<Object[]> binds) {
        for (Object[] b : binds) {
            spec = spec.bind((String) b[0], b[1]);
        }
        return spec;
    }

    private static Row row(Readable r) {
        return new Row(r.get("api_id", String.class), r.get("name", String.class), r.get("context", String.class),
                r.get("version", String.class), r.get("provider", String.class), r.get("description", String.class),
                r.get("type", String.class), list(r.get("tags", String[].class)), list(r.get("policies", String[].class)),
                r.get("lifecycle_status", String.class), instant(r, "created_time"), instant(r, "updated_time"));
    }

    private static List<String> list(String[] values) {
        return values == null ? List.of() : List.of(values);
    }

    private static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String escapeLike(String value) {
        return value.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
