package dev.apim.platform.web;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Writes every unhandled error of the management plane as WSO2's error body (see {@link ErrorResponses}). */
@Order(-2)
public class ErrorWebExceptionHandler implements WebExceptionHandler {

    private final JsonMapper mapper;

    public ErrorWebExceptionHandler(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        ErrorResponses.Response response = ErrorResponses.of(error);
        exchange.getResponse().setStatusCode(response.status());
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] bytes = mapper.writeValueAsBytes(response.body());
        DataBuffer buffer = exchange.getResponse().bufferFactory().wrap(bytes);
        return exchange.getResponse().writeWith(Mono.just(buffer));
    }
}
