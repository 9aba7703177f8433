package dev.apim.domain.common;

/**
 * Who asks for a change to something a user owns (an application's subscriptions or keys): the owner, or an
 * administrator, who may act for anyone. Anyone else is answered as if the thing did not exist.
 */
public record Requester(String username, boolean admin) {

    public boolean mayActFor(String owner) {
        return admin || (username != null && username.equals(owner));
    }
}
