package dev.apim.gateway.state;

import dev.apim.platform.broadcast.InternalData;

import java.util.function.Supplier;

/**
 * Loads the gateway's whole state from the internal data endpoints in one snapshot (every family read at one
 * event index) for the gateway's environment label, and swaps it into {@link GatewayState} atomically.
 */
public class GatewayBootstrap {

    private final Supplier<InternalDataClient> client;
    private final GatewayState state;
    private final String environment;

    /** @param client resolved on first use (the base URL may be this node's own listener, known once it is up) */
    public GatewayBootstrap(Supplier<InternalDataClient> client, GatewayState state, String environment) {
        this.client = client;
        this.state = state;
        this.environment = environment;
    }

    public String environment() {
        return environment;
    }

    public InternalDataClient client() {
        return client.get();
    }

    /**
     * Replaces the state with a snapshot that reflects at least {@code minIndex} (when the read model gets there
     * within the endpoint's wait); returns the snapshot's index.
     */
    public long bootstrap(long minIndex) {
        InternalData.Snapshot snapshot = client.get().snapshot(environment, minIndex);
        state.replace(snapshot);
        return snapshot.index();
    }

    /**
     * A new, separate state loaded now, reflecting at least {@code minIndex} (to compare with the live one, or for
     * tools); the live state is untouched.
     */
    public GatewayState load(long minIndex) {
        GatewayState fresh = new GatewayState();
        fresh.replace(client.get().snapshot(environment, minIndex));
        return fresh;
    }
}
