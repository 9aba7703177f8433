package dev.apim.query.application;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.application.ApplicationDetails;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads {@code apimgtdb.application} over R2DBC. */
public class ApplicationReadModel {

    /** One application as stored in the read model. */
    public record ApplicationRow(String applicationId, String tenant, String owner, ApplicationDetails details,
                                 long version, Instant created, Instant updated) {}

    /** A page of applications and the total matching. */
    public record Page(List<ApplicationRow> rows, long total) {}

    private static final String COLUMNS = "application_id, tenant, owner, name, throttling_policy, description, "
            + "token_type, attributes, groups, aggregate_version, created_time, updated_time";
    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {};

    private final DatabaseClient db;
    private final ObjectMapper json;

    public ApplicationReadModel(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<ApplicationRow> application(String tenant, String applicationId) {
        return db.sql("SELECT " + COLUMNS + " FROM apimgtdb.application WHERE tenant = :tenant AND application_id = :id")
                .bind("tenant", tenant).bind("id", applicationId)
                .map(this::row).one();
    }

    /** The owner's applications whose name contains {@code nameContains} (case-insensitive; null for all). */
    public Mono<Page> applications(String tenant, String owner, String nameContains, int limit, int offset) {
        String where = "tenant = :tenant AND owner = :owner"
                + (nameContains == null ? "" : " AND lower(name) LIKE :name ESCAPE '\\'");
        var count = db.sql("SELECT count(*) AS total FROM apimgtdb.application WHERE " + where);
        var rows = db.sql("SELECT " + COLUMNS + " FROM apimgtdb.application WHERE " + where
                + " ORDER BY lower(name), application_id LIMIT :limit OFFSET :offset");
        count = count.bind("tenant", tenant).bind("owner", owner);
        rows = rows.bind("tenant", tenant).bind("owner", owner).bind("limit", limit).bind("offset", offset);
        if (nameContains != null) {
            String pattern = "%" + escapeLike(nameContains) + "%";
            count = count.bind("name", pattern);
            rows = rows.bind("name", pattern);
        }
        Mono<Long> total = count.map(r -> r.get("total", Long.class)).one();
        return total.zipWith(rows.map(this::row).all().collectList(), (t, list) -> new Page(list, t));
    }

    private ApplicationRow row(Readable r) {
        String[] groups = r.get("groups", String[].class);
        ApplicationDetails details = new ApplicationDetails(r.get("name", String.class),
                r.get("description", String.class), r.get("throttling_policy", String.class),
                r.get("token_type", String.class), attributes(r),
                groups == null ? List.of() : Arrays.asList(groups));
        return new ApplicationRow(r.get("application_id", String.class), r.get("tenant", String.class),
                r.get("owner", String.class), details, r.get("aggregate_version", Long.class),
                instant(r, "created_time"), instant(r, "updated_time"));
    }

    private Map<String, String> attributes(Readable r) {
        Json value = r.get("attributes", Json.class);
        if (value == null) {
            return Map.of();
        }
        try {
            return json.readValue(value.asString(), ATTRIBUTES);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable application attributes in the read model", e);
        }
    }

    private static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String escapeLike(String value) {
        return value.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
