package dev.apim.platform.broadcast;

import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The Traffic Manager's broadcast stream in Redis: a Stream of notifications ({@code key}), a hash of publishing
 * state ({@code <key>:meta}: {@code last} index, {@code part}, {@code seq}) and a sorted set of the recently
 * published indexes ({@code <key>:published}). Each publication is one Lua script, so it is atomic: an index
 * already published is skipped (redelivery, replay), otherwise the next sequence number is assigned and the entry
 * appended with the stream capped at about {@code maxLength}. Only Redis 6.2 commands are used.
 */
public class BroadcastStream {

    /**
     * KEYS: stream, meta, published. ARGV: index, maxLength, epoch, then field/value pairs. Returns the sequence
     * number, or 0 when the index was already published (or is older than the remembered window, which counts as
     * published: a replay of old history must not flood the stream). An epoch other than the stream's (another
     * event store: a new database on the same Redis) starts the stream afresh.
     */
    static final String PUBLISH = """
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if ARGV[3] ~= '' and epoch ~= ARGV[3] then
              redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
              redis.call('HSET', KEYS[2], 'epoch', ARGV[3])
            end
            local last = redis.call('HGET', KEYS[2], 'last')
            local id
            if last and tonumber(ARGV[1]) <= tonumber(last) then
              if redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
              local oldest = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
              if oldest[2] == nil or tonumber(ARGV[1]) < tonumber(oldest[2]) then return 0 end
              id = last .. '-' .. redis.call('HINCRBY', KEYS[2], 'part', 1)
            else
              redis.call('HSET', KEYS[2], 'last', ARGV[1], 'part', 1)
              id = ARGV[1] .. '-1'
            end
            local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
            redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[2]) + 1))
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], id, 'seq', seq, unpack(ARGV, 4))
            return seq
            """;

    /**
     * KEYS: stream, meta. ARGV: a position. Where a consumer whose state reflects everything up to that position
     * starts reading: {sequence, entry id} of the newest entry at or before it; {seq, '0-0'} when the stream is
     * empty; {0, '0-0'} when nothing was ever trimmed; {-1, oldest id} when the entries just before the oldest one
     * are trimmed (the consumer's state is older than the stream reaches back).
     */
    static final String POSITION = """
            local e = redis.call('XREVRANGE', KEYS[1], ARGV[1], '-', 'COUNT', 1)
            if #e > 0 then return {tonumber(e[1][2][2]), e[1][1]} end
            if redis.call('XLEN', KEYS[1]) == 0 then
              return {tonumber(redis.call('HGET', KEYS[2], 'seq') or '0'), '0-0'}
            end
            local o = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            if tonumber(o[1][2][2]) == 1 then return {0, '0-0'} end
            return {-1, o[1][1]}
            """;

    private final RScript script;
    private final RStream<String, String> stream;
    private final String key;
    private final int maxLength;

    public BroadcastStream(RedissonClient redisson, BroadcastProperties properties) {
        this.script = redisson.getScript(StringCodec.INSTANCE);
        this.stream = redisson.getStream(properties.key(), StringCodec.INSTANCE);
        this.key = properties.key();
        this.maxLength = properties.maxLength();
    }

    public String key() {
        return key;
    }

    /**
     * Publishes a notification unless its index was already published; returns its sequence number, or 0.
     *
     * @param epoch identifies the event store the indexes belong to (null: not checked); when it differs from the
     *              stream's, the stream is deleted and starts again at sequence 1 (followers re-bootstrap)
     */
    public long publish(BroadcastNotification notification, String epoch) {
        List<Object> args = new ArrayList<>();
        args.add(Long.toString(notification.index()));
        args.add(Integer.toString(maxLength));
        args.add(epoch == null ? "" : epoch);
        notification.fields().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        Long seq = script.eval(RScript.Mode.READ_WRITE, PUBLISH, RScript.ReturnType.LONG,
                List.of(key, key + ":meta", key + ":published"), args.toArray());
        return seq == null ? 0 : seq;
    }

    /**
     * Where to follow from, for a state that reflects every event up to {@code index}.
     *
     * @return the entry to read after and the sequence number of that entry (the next must be one more), or
     *         {@link Start#tooOld()} when the stream no longer reaches back that far
     */
    public Start startAfter(long index) {
        List<Object> r = script.eval(RScript.Mode.READ_ONLY, POSITION, RScript.ReturnType.LIST,
                List.of(key, key + ":meta"), StreamPosition.afterIndex(index).toString());
        long seq = ((Number) r.get(0)).longValue();
        return new Start(seq, StreamPosition.parse((String) r.get(1)));
    }

    /** Where a consumer starts: after {@code position}, expecting {@code sequence + 1} next. */
    public record Start(long sequence, StreamPosition position) {
        public boolean tooOld() {
            return sequence < 0;
        }
    }

    /** An entry read from the stream; {@code notification} is null for an entry this version cannot read. */
    public record Entry(StreamPosition position, long sequence, BroadcastNotification notification) {}

    /**
     * Reads up to {@code count} entries after a position, waiting up to {@code timeout} (not zero) for the first.
     * Entries come in stream order.
     */
    public List<Entry> read(StreamPosition after, int count, Duration timeout) {
        Map<StreamMessageId, Map<String, String>> entries = stream.read(StreamReadArgs
                .greaterThan(new StreamMessageId(after.index(), after.part())).count(count).timeout(timeout));
        if (entries == null || entries.isEmpty()) {
            return List.of();
        }
        List<Entry> result = new ArrayList<>(entries.size());
        entries.forEach((id, fields) -> {
            String seq = fields.get(BroadcastNotification.F_SEQ);
            result.add(new Entry(new StreamPosition(id.getId0(), id.getId1()),
                    seq == null ? -1 : Long.parseLong(seq), BroadcastNotification.fromFields(fields)));
        });
        result.sort(Comparator.comparing(Entry::position));
        return result;
    }

    /** The newest published index (0 when nothing was published). */
    public long lastPublishedIndex() {
        String last = script.eval(RScript.Mode.READ_ONLY, "return redis.call('HGET', KEYS[1], 'last')",
                RScript.ReturnType.VALUE, List.of(key + ":meta"));
        return last == null ? 0 : Long.parseLong(last);
    }
}
