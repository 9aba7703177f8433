package dev.apim.query.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.policy.ThrottlePolicyCatalog.Level;
import dev.apim.domain.policy.ThrottlePolicyDefinition;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Non-blocking reads of {@code apimgtdb.throttle_policy}. */
public class ThrottlePolicyReadModel {

    /** One policy row. */
    public record PolicyRow(String policyId, String tenant, Level level, ThrottlePolicyDefinition definition,
                            long version) {}

    private static final String COLUMNS = "policy_id, tenant, policy_level, definition, aggregate_version";

    private final DatabaseClient db;
    private final ObjectMapper json;

    public ThrottlePolicyReadModel(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Flux<PolicyRow> policies(String tenant, Level level) {
        return db.sql("SELECT " + COLUMNS + " FROM apimgtdb.throttle_policy WHERE tenant = :tenant "
                        + "AND policy_level = :level ORDER BY lower(name)")
                .bind("tenant", tenant).bind("level", level.name())
                .map(this::row).all();
    }

    public Mono<PolicyRow> policy(String tenant, Level level, String policyId) {
        return db.sql("SELECT " + COLUMNS + " FROM apimgtdb.throttle_policy WHERE tenant = :tenant "
                        + "AND policy_level = :level AND policy_id = :id")
                .bind("tenant", tenant).bind("level", level.name()).bind("id", policyId)
                .map(this::row).one();
    }

    private PolicyRow row(Readable r) {
        Json definition = r.get("definition", Json.class);
        try {
            return new PolicyRow(r.get("policy_id", String.class), r.get("tenant", String.class),
                    Level.valueOf(r.get("policy_level", String.class)),
                    json.readValue(definition.asString(), ThrottlePolicyDefinition.class),
                    r.get("aggregate_version", Long.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
