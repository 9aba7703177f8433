package dev.apim.command.support;

/**
 * What a handled command produced: the handler's own result, and — when it wrote events — the aggregate's
 * new version (for ETags) and the global index of its last event (for read-your-writes). The position is
 * filled in inside the command's transaction, after the events are appended and before it commits.
 */
public final class CommandReceipt {

    private final Object result;
    private volatile long version = -1;
    private volatile long globalIndex = -1;
    private volatile String eventType;
    private volatile String aggregateId;
    private volatile java.time.Instant timestamp;

    CommandReceipt(Object result) {
        this.result = result;
    }

    void position(long version, long globalIndex, String eventType, String aggregateId, java.time.Instant timestamp) {
        this.aggregateId = aggregateId;
        this.timestamp = timestamp;
        this.version = version;
        this.globalIndex = globalIndex;
        this.eventType = eventType;
    }

    public Object result() { return result; }

    /** The aggregate version after the command, or -1 when it wrote no event. */
    public long version() { return version; }

    /** The global index of the command's last event, or -1 when it wrote no event. */
    public long globalIndex() { return globalIndex; }

    /** The payload class name of the command's last event, or null when it wrote none. */
    public String eventType() { return eventType; }

    /** When the command's last event happened (as stored and projected), or null when it wrote none. */
    public java.time.Instant timestamp() { return timestamp; }

    /** The aggregate the command's last event belongs to, or null. */
    public String aggregateId() { return aggregateId; }

    public boolean wroteEvents() { return globalIndex >= 0; }
}
