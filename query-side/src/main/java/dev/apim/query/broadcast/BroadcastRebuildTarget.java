package dev.apim.query.broadcast;

import dev.apim.platform.broadcast.BroadcastProperties;
import dev.apim.platform.broadcast.BroadcastStream;
import dev.apim.platform.db.SchemaRedirect;
import dev.apim.query.rebuild.RebuildTarget;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * The broadcast stream rebuilt from the log: a {@link BroadcastPublisher} of its own publishes every event into
 * {@code <key>:rebuild} (and its {@code :meta}, {@code :published} companions, same hash tag), which one Lua
 * script then renames over the live keys inside the switch transaction. The rebuilt stream restarts its sequence
 * numbers, so a following gateway sees a sequence gap (or a stream behind its position) and re-bootstraps from
 * the snapshot; only when the rebuilt stream is entry for entry the live one can it go on unnoticed.
 */
public final class BroadcastRebuildTarget implements RebuildTarget {

    private static final String SWAP = """
            for i = 1, 3 do
              if redis.call('EXISTS', KEYS[i + 3]) == 1 then
                redis.call('RENAME', KEYS[i + 3], KEYS[i])
              else
                redis.call('DEL', KEYS[i])
              end
            end
            return 1
            """;

    private final RedissonClient redisson;
    private final BroadcastProperties live;
    private final BroadcastProperties shadow;
    private final JdbcTemplate jdbc;

    public BroadcastRebuildTarget(RedissonClient redisson, BroadcastProperties live, JdbcTemplate jdbc) {
        this.redisson = redisson;
        this.live = live;
        this.shadow = new BroadcastProperties(live.key() + ":rebuild", live.maxLength());
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return BroadcastPublisher.PROCESSOR;
    }

    @Override
    public List<Object> handlers() {
        return List.of(new BroadcastPublisher(new BroadcastStream(redisson, shadow),
                new BroadcastConfiguration.EventStoreEpoch(jdbc), new BroadcastConfiguration.StoredEventIndex(jdbc)));
    }

    @Override
    public SchemaRedirect redirect() {
        return null;
    }

    @Override
    public void prepare() {
        discard();
    }

    @Override
    public void swap(JdbcTemplate tx) {
        redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_WRITE, SWAP, RScript.ReturnType.LONG,
                List.<Object>of(live.key(), live.key() + ":meta", live.key() + ":published",
                        shadow.key(), shadow.key() + ":meta", shadow.key() + ":published"));
    }

    @Override
    public void afterSwap(JdbcTemplate tx) {
        // nothing left: the live keys were overwritten
    }

    @Override
    public void discard() {
        redisson.getKeys().delete(shadow.key(), shadow.key() + ":meta", shadow.key() + ":published");
    }
}
