package dev.errand;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a handler a subscriber to events: its {@code @Incoming} channel names the subscription,
 * which has a durable queue of its own ({@code errand.events.<channel>}) that receives every event of
 * the named types published once the subscription exists, even while the subscriber is down.
 * <pre>{@code
 * @Incoming("kitchen")
 * @Subscribe("lemonade.order-placed")
 * void make(OrderPlaced order, Task<OrderPlaced> event) { ... }
 * }</pre>
 * A subscriber is a consumer like any other: idempotent by event id, retried, dead-lettered under
 * its own name, paused, limited and measured on its own, so one slow or failing subscriber never
 * holds the others back.
 * <p>
 * A type is dot-separated words of letters, digits and hyphens. A pattern is a type, or a type
 * whose last word is {@code *} (exactly one more word: {@code lemonade.*} matches
 * {@code lemonade.order-placed}, not {@code lemonade.order.placed}) or {@code #} (any number of
 * further words, none included). The types can be replaced in configuration:
 * {@code errand.events.subscriptions."<channel>".types}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Subscribe {

    /** The event types or patterns this subscriber receives. */
    String[] value();
}
