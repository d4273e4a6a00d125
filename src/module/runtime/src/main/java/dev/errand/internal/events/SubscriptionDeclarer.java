package dev.errand.internal.events;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.contract.EventsConfig;
import dev.errand.internal.contract.EventTypes;
import dev.errand.internal.broker.ArtemisManagement;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Declares each subscription on Artemis: a durable MULTICAST queue {@code errand.events.<subscriber>}
 * on the events address, whose filter lets in the subscriber's types only. It runs at start-up before
 * the consumers attach (SmallRye starts them at priority {@code LIBRARY_BEFORE}), so a subscriber never
 * attaches to a queue the broker made up on the spot; an existing queue gets the current filter.
 * RabbitMQ's queues and bindings come from its definitions instead ({@code errand.events.declare} is
 * false in profile {@code rabbitmq}).
 */
@ApplicationScoped
public class SubscriptionDeclarer {

    private static final Logger LOG = Logger.getLogger(SubscriptionDeclarer.class);

    private final EventsConfig config;
    private final Vertx vertx;
    private final Config rawConfig;

    SubscriptionDeclarer(EventsConfig config, Vertx vertx, Config rawConfig) {
        this.config = config;
        this.vertx = vertx;
        this.rawConfig = rawConfig;
    }

    void declare(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 100) StartupEvent start) {
        if (!config.declare() || config.subscriptions().isEmpty()) {
            return;
        }
        ArtemisManagement management = new ArtemisManagement(vertx, rawConfig);
        long deadline = System.nanoTime() + config.declareTimeout().toNanos();
        try {
            for (Map.Entry<String, JsonObject> queue : queues().entrySet()) {
                declare(management, queue.getKey(), queue.getValue(), deadline);
            }
        } finally {
            management.close();
        }
    }

    /** Each subscription's queue, as Artemis' management takes a queue configuration. */
    Map<String, JsonObject> queues() {
        Map<String, JsonObject> queues = new TreeMap<>();
        config.subscriptions().forEach((subscriber, subscription) -> {
            subscription.types().forEach(pattern -> {
                String problem = EventTypes.patternProblem(pattern);
                if (problem != null) {
                    throw new IllegalArgumentException("errand.events.subscriptions.\"" + subscriber + "\".types: " + problem);
                }
            });
            JsonObject queue = new JsonObject()
                    .put("name", EventTypes.QUEUE_PREFIX + subscriber)
                    .put("address", config.address())
                    .put("routing-type", "MULTICAST")
                    .put("durable", true)
                    .put("auto-create-address", true)
                    .put("purge-on-no-consumers", false)
                    .put("max-consumers", -1);
            String filter = EventTypes.artemisFilter(subscription.types());
            if (filter != null) {
                queue.put("filter-string", filter);
            }
            queues.put(subscriber, queue);
        });
        return queues;
    }

    private void declare(ArtemisManagement management, String subscriber, JsonObject queue, long deadline) {
        try {
            management.callUntil("broker", "createQueue", new JsonArray().add(queue.encode()).add(true), deadline);
            // An existing queue keeps its filter through createQueue: bring it up to date.
            management.callUntil("broker", "updateQueue", new JsonArray().add(queue.encode()), deadline);
            LOG.debugf("Subscription %s: queue %s on %s, filter %s", subscriber, queue.getString("name"),
                    config.address(), queue.getString("filter-string", "(none)"));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("Could not declare the queue of subscription %s on the broker (%s); its consumer attaches"
                    + " regardless and finds it only if it exists (docs/guide/events.md)", subscriber, e.toString());
        }
    }
}
