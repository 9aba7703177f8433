package dev.apim.query.denypolicy;

import dev.apim.domain.blockcondition.BlockConditionType;
import dev.apim.domain.blockcondition.BlockConditionValue;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Non-blocking reads of {@code apimgtdb.block_condition}. */
public class DenyPolicyReadModel {

    /** One deny policy as stored. */
    public record Row(String conditionId, BlockConditionType type, BlockConditionValue value, boolean enabled) {}

    private final DatabaseClient db;

    public DenyPolicyReadModel(DatabaseClient db) {
        this.db = db;
    }

    public Flux<Row> conditions(String tenant) {
        return db.sql("SELECT * FROM apimgtdb.block_condition WHERE tenant = :tenant ORDER BY created_time, condition_id")
                .bind("tenant", tenant).map(DenyPolicyReadModel::row).all();
    }

    public Mono<Row> condition(String tenant, String conditionId) {
        return db.sql("SELECT * FROM apimgtdb.block_condition WHERE tenant = :tenant AND condition_id = :id")
                .bind("tenant", tenant).bind("id", conditionId).map(DenyPolicyReadModel::row).one();
    }

    private static Row row(Readable r) {
        return new Row(r.get("condition_id", String.class),
                BlockConditionType.valueOf(r.get("condition_type", String.class)),
                new BlockConditionValue(r.get("condition_value", String.class), r.get("fixed_ip", String.class),
                        r.get("starting_ip", String.class), r.get("ending_ip", String.class),
                        Boolean.TRUE.equals(r.get("invert", Boolean.class))),
                Boolean.TRUE.equals(r.get("enabled", Boolean.class)));
    }
}
