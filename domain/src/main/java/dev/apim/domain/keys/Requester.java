package dev.apim.domain.keys;

/**
 * Who asks for a change to an application's keys: the application's owner, or an administrator. Anyone
 * else is told the key mapping does not exist.
 */
public record Requester(String username, boolean admin) {

    public boolean mayActFor(String owner) {
        return admin || (username != null && username.equals(owner));
    }
}
