package dev.apim.platform.web;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a multipart form's text fields and files as strings, refusing any part over a size limit. */
public final class Multipart {

    private Multipart() {}

    public static Mono<Map<String, String>> fields(ServerWebExchange exchange, int maxPartBytes) {
        return exchange.getMultipartData().flatMap(data -> Flux.fromIterable(data.entrySet())
                .filter(e -> !e.getValue().isEmpty())
                .concatMap(e -> text(e.getValue().get(0), maxPartBytes).map(v -> Map.entry(e.getKey(), v)))
                .collect(LinkedHashMap<String, String>::new, (m, e) -> m.put(e.getKey(), e.getValue()))
                .map(m -> (Map<String, String>) m));
    }

    private static Mono<String> text(Part part, int maxBytes) {
        if (part instanceof FormFieldPart field) {
            if (field.value().length() > maxBytes) {
                return Mono.error(tooLarge(part.name(), maxBytes));
            }
            return Mono.just(field.value());
        }
        if (part instanceof FilePart || part != null) {
            return DataBufferUtils.join(part.content(), maxBytes)
                    .map(buffer -> {
                        try {
                            return buffer.toString(StandardCharsets.UTF_8);
                        } finally {
                            DataBufferUtils.release(buffer);
                        }
                    })
                    .onErrorMap(org.springframework.core.io.buffer.DataBufferLimitException.class,
                            e -> tooLarge(part.name(), maxBytes))
                    .defaultIfEmpty("");
        }
        return Mono.empty();
    }

    private static ApiException tooLarge(String name, int maxBytes) {
        return new ApiException(org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE, 413, "Payload Too Large",
                "The part '" + name + "' exceeds " + maxBytes + " bytes");
    }
}
