package dev.apim.query.deadletter;

import dev.apim.platform.db.WriteBehind;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.OptionalLong;

/**
 * The replay path of one projection processing group. While its processor replays (Axon's {@link ReplayToken}: a
 * new node, a reset, a rebuild; live events never qualify), each handler runs without its own savepoint and the
 * batch's transaction commits without waiting for the WAL flush ({@code synchronous_commit = off}): per event this
 * saves two round trips (SAVEPOINT, RELEASE), per batch a disk flush. Both are safe for a read model: rows and
 * token commit together, so a crash loses both and the events are projected again.
 *
 * <p>What the savepoint bought (a failed handler's writes rolled back alone, so its event can be parked and the
 * batch still commits) is recovered by replaying the batch: when a handler fails on this path, the group falls back
 * to savepoints up to that event's position, and {@link #handle} (a handler interceptor of the group's processor) fails the whole batch after the dead-letter
 * invoker has seen it. The processor rolls the batch back (including any letter) and retries it; the retry runs
 * with savepoints, parks the event exactly as the live path does, and the following events are fast again.
 */
final class ReplayFastPath implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ReplayFastPath.class);

    private final String group;
    private final JdbcTemplate jdbc;
    private final String retryKey;
    private final String batchKey;
    private final String bufferKey;
    private final boolean writeBehind;
    /** Events at or before this position use savepoints (a handler failed there on the fast path). */
    private volatile long safeUntil = -1;

    ReplayFastPath(String group, DataSource dataSource) {
        this(group, dataSource, true);
    }

    ReplayFastPath(String group, DataSource dataSource, boolean writeBehind) {
        this.group = group;
        this.writeBehind = writeBehind;
        this.bufferKey = ReplayFastPath.class.getName() + ".buffer." + group;
        this.jdbc = dataSource == null ? null : new JdbcTemplate(dataSource);
        this.retryKey = ReplayFastPath.class.getName() + ".retry." + group;
        this.batchKey = ReplayFastPath.class.getName() + ".batch." + group;
    }

    /** True when {@code message} is a replayed event past the last fallback position. */
    boolean applies(Message<?> message) {
        if (jdbc == null || !(message instanceof TrackedEventMessage<?> tracked) || !ReplayToken.isReplay(tracked)) {
            return false;
        }
        // Only inside the processor's own batch (this interceptor ran): a dead letter's retry keeps its savepoint.
        if (!CurrentUnitOfWork.isStarted() || !CurrentUnitOfWork.get().root().resources().containsKey(batchKey)) {
            return false;
        }
        OptionalLong position = tracked.trackingToken().position();
        return position.isPresent() && position.getAsLong() > safeUntil;
    }

    /** Once per transaction: commit without waiting for the WAL flush. */
    void relaxCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(this)) {
            return;
        }
        jdbc.execute("SET LOCAL synchronous_commit TO OFF");
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(ReplayFastPath.this);
            }
        });
    }

    /** The batch's write-behind buffer and the position of its last buffered event. */
    private static final class Batch {
        final WriteBehind buffer;
        long lastPosition = -1;

        Batch(WriteBehind buffer) {
            this.buffer = buffer;
        }
    }

    /**
     * Buffers the writes of the handler about to run (on the fast path, inside the processor's batch) in the batch's
     * {@link WriteBehind}, keyed by the event's aggregate (a barrier for an event without one, or a handler marked
     * {@link WritesAcrossAggregates}); the buffer is sent before the batch commits. If sending fails, events up to
     * the batch's last one use savepoints (and write at once) and the failure rolls the batch back to be retried.
     */
    void bufferWrites(Message<?> message, boolean acrossAggregates) {
        if (!writeBehind) {
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Batch batch = (Batch) root.resources().get(bufferKey);
        if (batch == null) {
            Batch created = new Batch(BufferedBatchWrites.beginFor(root));
            root.resources().put(bufferKey, created);
            root.onPrepareCommit(u -> send(created));
            batch = created;
        }
        batch.lastPosition = Math.max(batch.lastPosition,
                ((TrackedEventMessage<?>) message).trackingToken().position().orElse(Long.MAX_VALUE));
        batch.buffer.key(BufferedBatchWrites.orderingKey(message, acrossAggregates));
    }

    private void send(Batch batch) {
        try {
            batch.buffer.flush();
            if (log.isDebugEnabled()) {
                log.debug("Processor {}: replayed batch up to {} sent {} statements in {} JDBC batches", group,
                        batch.lastPosition, batch.buffer.sentStatements(), batch.buffer.sentBatches());
            }
        } catch (RuntimeException | Error e) {
            safeUntil = Math.max(safeUntil, batch.lastPosition);
            log.info("Processor {}: sending a replayed batch's writes failed ({}); retrying the batch with a "
                    + "savepoint per event up to {}", group, e.toString(), batch.lastPosition);
            throw e;
        }
    }

    /** A handler failed without a savepoint: savepoints up to this event, and the batch must be retried. */
    void failed(Message<?> message) {
        long position = ((TrackedEventMessage<?>) message).trackingToken().position().orElse(Long.MAX_VALUE);
        safeUntil = Math.max(safeUntil, position);
        CurrentUnitOfWork.ifStarted(unitOfWork -> unitOfWork.root().resources().put(retryKey, Boolean.TRUE));
        log.info("Processor {}: a handler failed while replaying (event at {}); retrying the batch with a savepoint "
                + "per event so the event can be dead-lettered", group, position);
    }

    /** The position up to which savepoints are used again (-1: no failure on the fast path yet). */
    long fallbackPosition() {
        return safeUntil;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        unitOfWork.root().resources().put(batchKey, Boolean.TRUE);
        Object result = chain.proceed();
        if (unitOfWork.root().resources().remove(retryKey) != null) {
            throw new RetryWithSavepoints(group);
        }
        return result;
    }

    /** Fails a replayed batch whose handler failed without a savepoint, so that it is rolled back and retried. */
    static final class RetryWithSavepoints extends RuntimeException {
        RetryWithSavepoints(String group) {
            super("Processor " + group + ": retrying the batch with a savepoint per event");
        }
    }
}
