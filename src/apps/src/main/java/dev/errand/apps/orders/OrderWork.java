package dev.errand.apps.orders;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;

/**
 * The order's work message for the worker, through the outbox, in the caller's transaction: when the
 * order is placed, or once its payment is confirmed. Its message-id is the order's, so a second one for
 * the same order is the same message to the worker.
 */
@ApplicationScoped
public class OrderWork {

    private final Outbox outbox;
    private final ObjectMapper mapper;

    public OrderWork(Outbox outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    public void enqueue(long orderId, boolean urgent) {
        OutboundMessage work = OutboundMessage.json(OrderChannels.ORDERS_QUEUE, OrderChannels.messageId(orderId),
                OrderChannels.PROCESS_SUBJECT, OrderChannels.messageId(orderId), body(orderId));
        outbox.enqueue(urgent ? work.withPriority(OrderChannels.URGENT_PRIORITY) : work);
    }

    private String body(long orderId) {
        try {
            return mapper.writeValueAsString(new ProcessOrder(orderId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An order message always serialises", e);
        }
    }
}
