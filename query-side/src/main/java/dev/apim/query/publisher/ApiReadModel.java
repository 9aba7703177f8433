package dev.apim.query.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.ApiDefinition;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Non-blocking reads of the {@code apimgtdb} API tables. */
public class ApiReadModel {

    /** One API row: its definition and the facts the read model adds. */
    public record ApiRow(String apiId, String tenant, ApiDefinition definition, String lifecycleStatus, String openApi,
                         long version, Instant created, Instant updated) {}

    public record RevisionRow(String revisionId, String apiId, int number, String description, ApiDefinition definition,
                              String openApi, Instant created) {}

    public record DeploymentRow(String apiId, String environment, String revisionId, String vhost,
                                boolean displayOnDevportal, Instant deployed) {}

    public record HistoryRow(String previousState, String postState, String user, Instant updated) {}

    public record DocumentRow(String documentId, String apiId, String name, String type, String summary,
                              String sourceType, String sourceUrl, String visibility, String otherTypeName,
                              String inlineContent, String createdBy, Instant created, String updatedBy,
                              Instant updated) {}

    /** A page of APIs and the total that matched. */
    public record Page(List<ApiRow> rows, long total) {}

    /** Search filters parsed from WSO2's {@code query} parameter. */
    public record Search(String text, Map<String, String> fields) {}

    private static final String API_COLUMNS = "api_id, tenant, definition, lifecycle_status, openapi, aggregate_version, "
            + "created_time, updated_time";

    private final DatabaseClient db;
    private final ObjectMapper json;

    public ApiReadModel(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<ApiRow> api(String tenant, String apiId) {
        return db.sql("SELECT " + API_COLUMNS + " FROM apimgtdb.api WHERE tenant = :tenant AND api_id = :id")
                .bind("tenant", tenant).bind("id", apiId)
                .map(this::apiRow).one();
    }

    public Mono<Page> apis(String tenant, Search search, int limit, int offset) {
        StringBuilder where = new StringBuilder("tenant = :tenant");
        List<Object[]> binds = new ArrayList<>();
        binds.add(new Object[]{"tenant", tenant});
        int i = 0;
        for (var f : search.fields().entrySet()) {
            String column = switch (f.getKey()) {
                case "name" -> "name";
                case "context" -> "context";
                case "version" -> "version";
                case "provider" -> "provider";
                case "status" -> "lifecycle_status";
                default -> throw new IllegalArgumentException(f.getKey());
            };
            String p = "f" + i++;
            where.append(" AND ").append(column).append(" ILIKE :").append(p).append(" ESCAPE '\\'");
            binds.add(new Object[]{p, "%" + escapeLike(f.getValue()) + "%"});
        }
        if (search.text() != null && !search.text().isBlank()) {
            where.append(" AND (name ILIKE :text ESCAPE '\\' OR context ILIKE :text ESCAPE '\\' OR version ILIKE :text "
                    + "ESCAPE '\\' OR coalesce(description, '') ILIKE :text ESCAPE '\\')");
            binds.add(new Object[]{"text", "%" + escapeLike(search.text()) + "%"});
        }
        var count = bindAll(db.sql("SELECT count(*) AS total FROM apimgtdb.api WHERE " + where), binds)
                .map(row -> row.get("total", Long.class)).one();
        var rows = bindAll(db.sql("SELECT " + API_COLUMNS + " FROM apimgtdb.api WHERE " + where
                        + " ORDER BY lower(name), version, api_id LIMIT :limit OFFSET :offset"), binds)
                .bind("limit", limit).bind("offset", offset)
                .map(this::apiRow).all().collectList();
        return Mono.zip(rows, count).map(t -> new Page(t.getT1(), t.getT2()));
    }

    public Flux<HistoryRow> history(String apiId) {
        return db.sql("SELECT previous_state, post_state, username, updated_time FROM apimgtdb.api_lifecycle_history "
                        + "WHERE api_id = :id ORDER BY seq")
                .bind("id", apiId)
                .map(r -> new HistoryRow(r.get("previous_state", String.class), r.get("post_state", String.class),
                        r.get("username", String.class), instant(r, "updated_time")))
                .all();
    }

    public Flux<RevisionRow> revisions(String apiId) {
        return db.sql("SELECT revision_id, api_id, number, description, definition, openapi, created_time "
                        + "FROM apimgtdb.api_revision WHERE api_id = :id ORDER BY number")
                .bind("id", apiId).map(this::revisionRow).all();
    }

    public Flux<DeploymentRow> deployments(String apiId) {
        return db.sql("SELECT api_id, environment, revision_id, vhost, display_on_devportal, deployed_time "
                        + "FROM apimgtdb.api_deployment WHERE api_id = :id ORDER BY environment")
                .bind("id", apiId)
                .map(r -> new DeploymentRow(r.get("api_id", String.class), r.get("environment", String.class),
                        r.get("revision_id", String.class), r.get("vhost", String.class),
                        Boolean.TRUE.equals(r.get("display_on_devportal", Boolean.class)), instant(r, "deployed_time")))
                .all();
    }

    public Flux<DocumentRow> documents(String apiId) {
        return db.sql("SELECT * FROM apimgtdb.api_document WHERE api_id = :id ORDER BY name")
                .bind("id", apiId).map(this::documentRow).all();
    }

    public Mono<DocumentRow> document(String apiId, String documentId) {
        return db.sql("SELECT * FROM apimgtdb.api_document WHERE api_id = :id AND document_id = :doc")
                .bind("id", apiId).bind("doc", documentId).map(this::documentRow).one();
    }

    private DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec, List<Object[]> binds) {
        for (Object[] b : binds) {
            spec = spec.bind((String) b[0], b[1]);
        }
        return spec;
    }

    private ApiRow apiRow(Readable r) {
        return new ApiRow(r.get("api_id", String.class), r.get("tenant", String.class), definition(r),
                r.get("lifecycle_status", String.class), r.get("openapi", String.class),
                r.get("aggregate_version", Long.class), instant(r, "created_time"), instant(r, "updated_time"));
    }

    private RevisionRow revisionRow(Readable r) {
        return new RevisionRow(r.get("revision_id", String.class), r.get("api_id", String.class),
                r.get("number", Integer.class), r.get("description", String.class), definition(r),
                r.get("openapi", String.class), instant(r, "created_time"));
    }

    private DocumentRow documentRow(Readable r) {
        return new DocumentRow(r.get("document_id", String.class), r.get("api_id", String.class),
                r.get("name", String.class), r.get("type", String.class), r.get("summary", String.class),
                r.get("source_type", String.class), r.get("source_url", String.class), r.get("visibility", String.class),
                r.get("other_type_name", String.class), r.get("inline_content", String.class),
                r.get("created_by", String.class), instant(r, "created_time"), r.get("updated_by", String.class),
                instant(r, "updated_time"));
    }

    private ApiDefinition definition(Readable r) {
        try {
            return json.readValue(r.get("definition", Json.class).asString(), ApiDefinition.class);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable API definition in the read model", e);
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
