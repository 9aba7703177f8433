package dev.apim.command.support;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import dev.apim.eventstore.ReturningAppend;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * Wraps every command's result in a {@link CommandReceipt}. As an event dispatch interceptor it collects the
 * events a command publishes; as a command handler interceptor it then, in the prepare-commit phase (after
 * the event store appended them, inside the same transaction), takes the last event's global index: the one the
 * append itself returned ({@link ReturningAppend}), or else reads it back by event identifier.
 */
public final class CommandReceiptInterceptor implements MessageHandlerInterceptor<CommandMessage<?>>,
        MessageDispatchInterceptor<EventMessage<?>> {

    private static final String PUBLISHED = CommandReceiptInterceptor.class.getName() + ".published";

    private final JdbcTemplate jdbc;
    private final String eventTable;

    public CommandReceiptInterceptor(JdbcTemplate jdbc, String eventTable) {
        this.jdbc = jdbc;
        this.eventTable = eventTable;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        if (unitOfWork.resources().containsKey(PUBLISHED)) {
            return chain.proceed(); // registered more than once: the outermost registration keeps the receipt
        }
        List<EventMessage<?>> published = new ArrayList<>();
        unitOfWork.resources().put(PUBLISHED, published);
        CommandReceipt receipt = new CommandReceipt(chain.proceed());
        unitOfWork.onPrepareCommit(u -> {
            if (published.isEmpty()) {
                return;
            }
            EventMessage<?> last = published.get(published.size() - 1);
            DomainEventMessage<?> domain = last instanceof DomainEventMessage<?> d ? d : null;
            long version = domain != null ? domain.getSequenceNumber() : -1;
            OptionalLong returned = ReturningAppend.globalIndexOf(last.getIdentifier());
            Long index = returned.isPresent() ? Long.valueOf(returned.getAsLong())
                    : jdbc.queryForObject("SELECT global_index FROM " + eventTable + " WHERE event_identifier = ?",
                    Long.class, last.getIdentifier());
            receipt.position(version, index == null ? -1 : index, last.getPayloadType().getName(),
                    domain != null ? domain.getAggregateIdentifier() : null, last.getTimestamp());
        });
        return receipt;
    }

    @Override
    @SuppressWarnings("unchecked")
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        if (CurrentUnitOfWork.isStarted()) {
            Object list = CurrentUnitOfWork.get().root().getResource(PUBLISHED);
            if (list instanceof List<?> published) {
                ((List<EventMessage<?>>) published).addAll(messages);
            }
        }
        return (i, m) -> m;
    }
}
