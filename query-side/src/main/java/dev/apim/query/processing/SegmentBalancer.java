package dev.apim.query.processing;

import dev.apim.platform.config.ProcessingProperties;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.redisson.api.RScoredSortedSet;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spreads segments over the live nodes. Axon's tracking processor claims every free segment it has a thread for,
 * so the first node to start holds them all and a node started later would idle. Each node therefore announces
 * itself every {@code claim-interval} in a Redis sorted set (member: a random id, score: until when it counts as
 * live, {@code claim-timeout} ahead) and, per processor, releases the segments it holds beyond its share
 * ({@code ceil(segments / live nodes)}) for {@code claim-timeout}: another node's idle thread claims them within a
 * claim interval; if none does, this node takes them back when the release ends. Releasing is a clean hand-over
 * (the token is stored first), so no event is processed twice or skipped. Without Redis it does nothing: claims
 * stay where they are, which is correct, only unbalanced.
 */
public class SegmentBalancer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final ProcessingProperties properties;
    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final ObjectProvider<TokenStore> tokenStore;
    private final RedissonClient redisson;
    private final String nodesKey;
    private final Collection<String> processors;
    private final String member = UUID.randomUUID().toString();
    private volatile ScheduledExecutorService timer;
    private volatile boolean warned;

    public SegmentBalancer(ProcessingProperties properties, ObjectProvider<EventProcessingConfiguration> processing,
                           ObjectProvider<TokenStore> tokenStore, RedissonClient redisson, String nodesKey,
                           Collection<String> processors) {
        this.properties = properties;
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.redisson = redisson;
        this.nodesKey = nodesKey;
        this.processors = List.copyOf(processors);
    }

    @Override
    public void start() {
        if (!properties.balance() || properties.segments() == 1) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apim-segment-balancer");
            t.setDaemon(true);
            return t;
        });
        long period = properties.claimInterval().toMillis();
        executor.scheduleWithFixedDelay(this::balanceQuietly, 0, period, TimeUnit.MILLISECONDS);
        timer = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = timer;
        timer = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                nodes().remove(member);
            } catch (RuntimeException e) {
                log.debug("Could not withdraw this node from {}", nodesKey, e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    /** Before the processors stop (they are Axon lifecycle, stopped after Spring's phases), after they start. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private RScoredSortedSet<String> nodes() {
        return redisson.getScoredSortedSet(nodesKey, StringCodec.INSTANCE);
    }

    private void balanceQuietly() {
        try {
            balance();
            warned = false;
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("Segment balancing skipped ({}); claims stay where they are", e.toString());
            }
        }
    }

    /** One round: announce this node, count the live ones, release what is beyond this node's share. */
    void balance() {
        long now = System.currentTimeMillis();
        RScoredSortedSet<String> nodes = nodes();
        nodes.add(now + properties.claimTimeout().toMillis(), member);
        nodes.removeRangeByScore(Double.NEGATIVE_INFINITY, true, now, false);
        nodes.expire(properties.claimTimeout().multipliedBy(3));
        int live = Math.max(1, nodes.size());
        EventProcessingConfiguration config = processing.getObject();
        for (String name : processors) {
            TrackingEventProcessor processor = config.eventProcessor(name, TrackingEventProcessor.class).orElse(null);
            if (processor == null || !processor.isRunning()) {
                continue;
            }
            int total = tokenStore.getObject().fetchSegments(name).length;
            int share = (total + live - 1) / live;
            List<Integer> mine = new ArrayList<>(processor.processingStatus().keySet());
            mine.sort(null);
            for (int i = mine.size() - 1; i >= share; i--) {
                int segment = mine.get(i);
                log.info("Processor {}: {} live nodes, share {}, releasing segment {} for another node", name, live,
                        share, segment);
                processor.releaseSegment(segment, properties.claimTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
