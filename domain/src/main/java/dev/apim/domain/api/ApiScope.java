package dev.apim.domain.api;

import java.util.List;

/** An OAuth2 scope declared by an API, with the roles it is bound to. */
public record ApiScope(String name, String displayName, String description, List<String> bindings) {
    public ApiScope {
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
    }
}
