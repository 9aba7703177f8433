package dev.apim.command.workflow;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import dev.apim.domain.workflow.CompleteWorkflow;
import dev.apim.domain.workflow.WorkflowStatus;
import dev.apim.eventstore.AuditMetadata;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.apim.platform.scheduling.PeriodicJob;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rejects open workflows whose deadline has passed, as an administrator would: every {@code interval} it reads
 * the expired ones from {@code apimgtdb.workflow} (JDBC, on its own thread) and sends {@code CompleteWorkflow}.
 * Several nodes may sweep at once: the aggregate decides once and the loser's WORKFLOW_ALREADY_COMPLETED is
 * ignored, as is an administrator's decision that came first.
 */
public class WorkflowDeadlineSweeper extends PeriodicJob {

    public static final String REASON = "Approval deadline passed";
    private static final Logger log = LoggerFactory.getLogger(WorkflowDeadlineSweeper.class);
    private static final int BATCH = 500;

    private final CommandGateway gateway;
    private final JdbcTemplate jdbc;

    public WorkflowDeadlineSweeper(CommandGateway gateway, JdbcTemplate jdbc, Duration interval) {
        super("workflow-deadline-sweeper", interval, "apim.workflows.sweep-interval");
        this.gateway = gateway;
        this.jdbc = jdbc;
    }

    /** Rejects every expired open workflow once; returns how many this call rejected. */
    public int sweep() {
        List<Map<String, Object>> expired = jdbc.queryForList("SELECT workflow_reference_id, tenant "
                + "FROM apimgtdb.workflow WHERE status = 'CREATED' AND deadline IS NOT NULL AND deadline <= now() "
                + "ORDER BY deadline LIMIT " + BATCH);
        int rejected = 0;
        for (Map<String, Object> row : expired) {
            String id = (String) row.get("workflow_reference_id");
            String tenant = (String) row.get("tenant");
            try {
                gateway.sendAndWait(GenericCommandMessage.asCommandMessage(
                                new CompleteWorkflow(id, WorkflowStatus.REJECTED, REASON, "system"))
                        .andMetaData(AuditMetadata.of(tenant, "system", null, UUID.randomUUID().toString())));
                rejected++;
            } catch (DomainException e) {
                if (e.error() != DomainError.WORKFLOW_ALREADY_COMPLETED) {
                    log.warn("Could not reject expired workflow {}: {}", id, e.getMessage());
                }
            } catch (AggregateNotFoundException e) {
                log.warn("Expired workflow {} has no aggregate; skipped", id);
            }
        }
        return rejected;
    }

    @Override
    protected void runOnce() {
        int rejected = sweep();
        if (rejected > 0) {
            log.info("Rejected {} workflow(s) whose approval deadline passed", rejected);
        }
    }
}
