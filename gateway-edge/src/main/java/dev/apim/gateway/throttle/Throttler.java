package dev.apim.gateway.throttle;

import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Admits a request against every counter that applies to it, atomically: either every counter is incremented
 * (admitted) or none is (rejected). One Redis round trip per call; a per-node local limiter when Redis is down.
 */
public interface Throttler {

    Mono<ThrottleDecision> acquire(List<ThrottleCounter> counters);
}
