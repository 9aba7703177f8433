package dev.apim.command.support;

import dev.apim.eventstore.AuditMetadata;
import dev.apim.platform.config.ApimProperties;
import dev.apim.platform.consistency.ReadModelProgress;
import dev.apim.platform.security.Caller;
import dev.apim.platform.web.RequestContext;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a command on behalf of a REST caller: attaches the audit metadata (tenant, principal, client IP,
 * correlation id), runs the handler and its JDBC append off the event loop, and — unless configured
 * otherwise — answers only once the read models show the command's events, so a script that writes and
 * then reads (on any node) never sees stale data. Sets {@code ETag} and {@code X-Event-Index}.
 */
public class CommandDispatcher {

    public static final String EVENT_INDEX_HEADER = "X-Event-Index";
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandGateway commandGateway;
    private final ObjectProvider<ReadModelProgress> progress;
    private final ApimProperties.Consistency consistency;

    public CommandDispatcher(CommandGateway commandGateway, ObjectProvider<ReadModelProgress> progress,
                             ApimProperties properties) {
        this.commandGateway = commandGateway;
        this.progress = progress;
        this.consistency = properties.consistency();
    }

    public Mono<CommandReceipt> send(Object command, Caller caller, ServerWebExchange exchange) {
        var metaData = AuditMetadata.of(caller.tenant(), caller.username(), RequestContext.clientIp(exchange),
                RequestContext.correlationId(exchange));
        return Mono.fromCallable(() -> (CommandReceipt) commandGateway.sendAndWait(
                        GenericCommandMessage.asCommandMessage(command).andMetaData(metaData)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(receipt -> awaitReadModel(receipt).thenReturn(receipt))
                .doOnNext(receipt -> decorate(exchange.getResponse(), receipt));
    }

    private Mono<Boolean> awaitReadModel(CommandReceipt receipt) {
        ReadModelProgress readModels = progress.getIfAvailable();
        if (!consistency.waitForProjection() || readModels == null || !receipt.wroteEvents()) {
            return Mono.just(true);
        }
        return readModels.awaitProcessed(receipt.globalIndex(), receipt.eventType(), receipt.aggregateId(),
                        consistency.timeout())
                .doOnNext(done -> {
                    if (!done) {
                        log.warn("Read models had not reached event {} after {}; answering anyway",
                                receipt.globalIndex(), consistency.timeout());
                    }
                });
    }

    private static void decorate(ServerHttpResponse response, CommandReceipt receipt) {
        if (receipt.wroteEvents()) {
            response.getHeaders().setETag("\"" + receipt.version() + "\"");
            response.getHeaders().set(EVENT_INDEX_HEADER, Long.toString(receipt.globalIndex()));
        }
    }
}
