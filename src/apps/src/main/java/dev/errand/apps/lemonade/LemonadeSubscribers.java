package dev.errand.apps.lemonade;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Subscribe;
import dev.errand.Task;

/**
 * Three parts of the business, each reacting to every order at its own pace and knowing nothing of
 * the others. Each runs once per order (Errand's marker commits with its writes).
 */
@ApplicationScoped
public class LemonadeSubscribers {

    private final LemonadeStand stand;
    private final LemonadeConfig config;

    public LemonadeSubscribers(LemonadeStand stand, LemonadeConfig config) {
        this.stand = stand;
        this.config = config;
    }

    /** Makes the lemonade: slow on purpose (lemonade.kitchen-time-per-order, 4 at a time). */
    @Incoming(LemonadeEvents.KITCHEN)
    @Subscribe(LemonadeEvents.ORDER_PLACED)
    void make(OrderPlaced order, Task<OrderPlaced> event) throws Exception {
        Thread.sleep(config.kitchenTimePerOrder().toMillis());
        stand.ready(order.orderId());
    }

    /**
     * A point per cup, exactly once per order: keyed by the order, not only by the event's id, and
     * counted from the order as the stand recorded it, not from what the event says.
     */
    @Incoming(LemonadeEvents.LOYALTY)
    @Subscribe(LemonadeEvents.ORDER_PLACED)
    void reward(OrderPlaced order, Task<OrderPlaced> event) throws Exception {
        stand.addPoints(order.orderId());
    }

    /** Orders and cups per minute. */
    @Incoming(LemonadeEvents.ANALYTICS)
    @Subscribe(LemonadeEvents.ORDER_PLACED)
    void count(OrderPlaced order, Task<OrderPlaced> event) throws Exception {
        stand.count(Instant.now(), order.cups());
    }
}
