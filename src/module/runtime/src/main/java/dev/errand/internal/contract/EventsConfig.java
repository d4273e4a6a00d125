package dev.errand.internal.contract;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Events: where they are published, and each subscription's types. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.events")
public interface EventsConfig {

    /**
     * Where events are published: {@code errand.events}, a MULTICAST address on Artemis;
     * {@code /exchange/errand.events}, a topic exchange, in profile {@code rabbitmq}, where the plugin
     * takes the AMQP subject (the event type) as the routing key.
     */
    @WithDefault("errand.events")
    String address();

    /**
     * Whether Errand declares each subscription's queue and filter on Artemis at start-up (its user
     * needs the manage permission there). RabbitMQ's exchange, queues and bindings are declared by
     * the broker's definitions (docs/guide/events.md).
     */
    @WithDefault("true")
    boolean declare();

    /** How long start-up waits for the declarations before the consumers attach regardless. */
    @WithDefault("10s")
    Duration declareTimeout();

    /** The subscriptions, by subscriber channel: from {@code @Subscribe}, which this replaces. */
    Map<String, Subscription> subscriptions();

    interface Subscription {
        /** The event types or patterns the subscriber receives. */
        List<String> types();
    }
}
