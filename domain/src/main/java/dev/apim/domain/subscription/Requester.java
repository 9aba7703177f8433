package dev.apim.domain.subscription;

/** Who asks for a change: a user, and whether they act as an administrator (allowed on any application). */
public record Requester(String username, boolean admin) {

    public boolean mayActFor(String owner) {
        return admin || (username != null && username.equals(owner));
    }
}
