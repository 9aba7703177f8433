package dev.apim.domain.application;

/**
 * Port for the set-based rule "an application name is unique per owner and tenant" (case-insensitive). The
 * command side implements it with a constraint table written in the same transaction as the events, so a
 * refused claim leaves no event.
 */
public interface ApplicationNameRegistry {

    /**
     * Claims the name for the application (claiming a name it already holds, in any case, succeeds and keeps
     * the new spelling), or throws {@code DomainException(APPLICATION_ALREADY_EXISTS)}.
     */
    void claim(String tenant, String owner, String name, String applicationId);

    /** Releases the name held by the application; releasing a name it does not hold does nothing. */
    void release(String tenant, String owner, String name, String applicationId);

    /**
     * Moves the application from {@code oldName} to {@code newName}: {@link #claim} the new name (or throw), then
     * {@link #release} the old one unless it is the same name ignoring case. An implementation may do both at once
     * (the command side does, in one statement), as long as a refused claim releases nothing.
     */
    default void rename(String tenant, String owner, String oldName, String newName, String applicationId) {
        claim(tenant, owner, newName, applicationId);
        if (oldName != null && !nameKey(oldName).equals(nameKey(newName))) {
            release(tenant, owner, oldName, applicationId);
        }
    }

    /** The form in which names are unique: two names with the same key are the same name. */
    static String nameKey(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }
}
