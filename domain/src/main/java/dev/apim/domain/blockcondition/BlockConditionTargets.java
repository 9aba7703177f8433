package dev.apim.domain.blockcondition;

/**
 * Port: whether what a deny policy names exists, answered consistently with the event store (the command
 * side reads the claim tables of the API and application slices inside the command's transaction).
 */
public interface BlockConditionTargets {

    /**
     * Whether an API of the tenant has this context: either the context with its version
     * ({@code /pizzashack/1.0.0}) or the bare context, meaning every version ({@code /pizzashack}).
     */
    boolean apiContextExists(String tenant, String context);

    /** What is known about an application named by owner and name. */
    Lookup application(String tenant, String owner, String name);

    /** The answer for targets whose catalogue may not be available on every deployment. */
    enum Lookup { EXISTS, MISSING, UNKNOWN }
}
