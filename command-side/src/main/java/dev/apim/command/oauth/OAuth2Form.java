package dev.apim.command.oauth;

import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters of an OAuth2 endpoint request: {@code application/x-www-form-urlencoded} body only (RFC 6749
 * §3.2: the query string is not read), every parameter at most once, values bounded in size.
 */
record OAuth2Form(Map<String, String> values) {

    static final int MAX_VALUE_LENGTH = 8192;
    static final int MAX_PARAMETERS = 32;

    static Mono<OAuth2Form> read(ServerWebExchange exchange, Set<String> allowed) {
        MediaType type = exchange.getRequest().getHeaders().getContentType();
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type)) {
            return Mono.error(OAuth2Exception.invalidRequest(
                    "The request must be sent as application/x-www-form-urlencoded"));
        }
        return exchange.getFormData().map(form -> of(form, allowed));
    }

    static OAuth2Form of(MultiValueMap<String, String> form, Set<String> allowed) {
        if (form.size() > MAX_PARAMETERS) {
            throw OAuth2Exception.invalidRequest("Too many parameters");
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            String name = e.getKey();
            if (!allowed.contains(name)) {
                // RFC 6749 §3.1/§3.2: unrecognised parameters are ignored.
                continue;
            }
            if (e.getValue().size() != 1) {
                throw OAuth2Exception.invalidRequest("Parameter '" + name + "' must be sent exactly once");
            }
            String value = e.getValue().get(0);
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw OAuth2Exception.invalidRequest("Parameter '" + name + "' is too long");
            }
            if (value != null && !value.isEmpty()) {
                values.put(name, value);
            }
        }
        return new OAuth2Form(Map.copyOf(values));
    }

    String get(String name) {
        return values.get(name);
    }

    String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw OAuth2Exception.invalidRequest("Parameter '" + name + "' is required");
        }
        return value;
    }
}
