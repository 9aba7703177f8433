package dev.apim.query.workflow;

import dev.apim.platform.wso2.admin.WorkflowInfoDto;
import dev.apim.platform.wso2.admin.WorkflowMapper;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.List;

/** Non-blocking reads of {@code apimgtdb.workflow}. */
public class WorkflowReadModel {

    /** One page of open workflows and how many there are in all. */
    public record Page(List<WorkflowInfoDto> rows, long total) {}

    private static final String COLUMNS = "workflow_reference_id, workflow_type, status, created_time, updated_time, "
            + "properties::text AS properties, description";

    private final DatabaseClient db;

    public WorkflowReadModel(DatabaseClient db) {
        this.db = db;
    }

    /** Open (CREATED) workflows of the tenant, oldest first; {@code type} null means every type. */
    public Mono<Page> open(String tenant, String type, int limit, int offset) {
        String filter = " FROM apimgtdb.workflow WHERE tenant = :tenant AND status = 'CREATED'"
                + (type == null ? "" : " AND workflow_type = :type");
        DatabaseClient.GenericExecuteSpec rows = db.sql("SELECT " + COLUMNS + filter
                        + " ORDER BY created_time, workflow_reference_id LIMIT :limit OFFSET :offset")
                .bind("tenant", tenant).bind("limit", limit).bind("offset", offset);
        DatabaseClient.GenericExecuteSpec count = db.sql("SELECT count(*) AS total" + filter).bind("tenant", tenant);
        if (type != null) {
            rows = rows.bind("type", type);
            count = count.bind("type", type);
        }
        return rows.map(WorkflowReadModel::row).all().collectList()
                .zipWith(count.map(r -> r.get("total", Long.class)).one())
                .map(t -> new Page(t.getT1(), t.getT2()));
    }

    public Mono<WorkflowInfoDto> workflow(String tenant, String workflowReferenceId) {
        return db.sql("SELECT " + COLUMNS + " FROM apimgtdb.workflow WHERE tenant = :tenant "
                        + "AND workflow_reference_id = :id")
                .bind("tenant", tenant).bind("id", workflowReferenceId)
                .map(WorkflowReadModel::row).one();
    }

    private static WorkflowInfoDto row(Readable r) {
        OffsetDateTime created = r.get("created_time", OffsetDateTime.class);
        OffsetDateTime updated = r.get("updated_time", OffsetDateTime.class);
        return WorkflowMapper.info(r.get("workflow_reference_id", String.class), r.get("workflow_type", String.class),
                r.get("status", String.class), created == null ? null : created.toInstant(),
                updated == null ? null : updated.toInstant(), r.get("properties", String.class),
                r.get("description", String.class));
    }
}
