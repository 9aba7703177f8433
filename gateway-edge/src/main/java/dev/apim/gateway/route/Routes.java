package dev.apim.gateway.route;

import dev.apim.gateway.model.GatewayLookup;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The current {@link RouteTable} of a {@link GatewayLookup}: recompiled when the state's index moves (one volatile
 * read per request). One thread compiles; while it does, other requests keep using the previous table instead of
 * waiting (only the very first table is waited for).
 */
public final class Routes {

    private final GatewayLookup lookup;
    private final AtomicBoolean compiling = new AtomicBoolean();
    private volatile RouteTable table = RouteTable.empty();

    public Routes(GatewayLookup lookup) {
        this.lookup = lookup;
    }

    public RouteTable current() {
        RouteTable t = table;
        long index = lookup.index();
        if (t.index() == index) {
            return t;
        }
        if (!compiling.compareAndSet(false, true)) {
            if (t.index() != Long.MIN_VALUE) {
                return t;
            }
            synchronized (this) {
                return table.index() == Long.MIN_VALUE ? RouteTable.build(index, lookup.apis()) : table;
            }
        }
        try {
            synchronized (this) {
                // The index is read before the APIs: a table stamped older than its content is recompiled once
                // more at worst, never left stale.
                RouteTable fresh = RouteTable.build(index, lookup.apis());
                table = fresh;
                return fresh;
            }
        } finally {
            compiling.set(false);
        }
    }
}
