package dev.errand;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opens a handler's queue, a subscription or a durable function to senders outside the service: any
 * AMQP client with the broker's sender user may then send to it (start the function), by the wire
 * contract. Without it a consumer takes only what this service sent through Errand (signed), and
 * dead-letters anything else with reason {@code untrusted-sender}, unprocessed; the embedded broker
 * does not even let the sender user write to its queue.
 * <pre>{@code
 * @Incoming("coupon-grants")
 * @OutsideSenders
 * void grant(GrantCoupon grant, Task<GrantCoupon> task) { ... }
 * }</pre>
 * What an outside sender says is data, not fact: its {@code correlation-id} and priority reach the
 * handler ({@link Task#origin()} tells it who wrote the message), but Errand's own properties (attempts,
 * history) are ignored, its dead letters are recorded as {@code outside}, and its idempotency is kept
 * apart from the service's ({@link Origin}). Validate an outside message against your own records
 * (a grant's amount comes from its campaign, not from the message). The setting
 * {@code errand.consumers."<channel>".outside-senders} overrides the annotation either way.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OutsideSenders {
}
