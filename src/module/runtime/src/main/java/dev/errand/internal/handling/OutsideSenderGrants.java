package dev.errand.internal.handling;

import java.util.SortedMap;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.broker.ArtemisManagement;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

/**
 * Lets outside senders write where the service said they may, and nowhere else. With
 * {@code errand.broker.sender-role} set (the embedded Artemis sets it, and gives that role nothing by
 * default), each consumer's address gets its own security setting at start, over Artemis' management:
 * the service's role keeps every permission, and the sender's role may send only where a consumer takes
 * outside senders ({@code @OutsideSenders}); a queue that was open and is no longer loses it. The list is
 * the build's: the annotations, as the consumers' settings carry them.
 */
@ApplicationScoped
class OutsideSenderGrants {

    private static final Logger LOG = Logger.getLogger(OutsideSenderGrants.class);
    /** Send, consume, durable queues, non-durable queues, manage, browse, addresses, view, edit. */
    private static final int ROLE_COLUMNS = 12;

    private final ConsumerPolicies policies;
    private final BrokerConfig broker;
    private final Vertx vertx;
    private final Config rawConfig;

    OutsideSenderGrants(ConsumerPolicies policies, BrokerConfig broker, Vertx vertx, Config rawConfig) {
        this.policies = policies;
        this.broker = broker;
        this.vertx = vertx;
        this.rawConfig = rawConfig;
    }

    // Before the consumers attach, and before an application's own start-up work could send.
    void grant(@Observes @Priority(Interceptor.Priority.LIBRARY_BEFORE - 50) StartupEvent start) {
        if (broker.senderRole().isEmpty()) {
            return;
        }
        SortedMap<String, Boolean> open = addresses();
        ArtemisManagement management = new ArtemisManagement(vertx, rawConfig);
        // One wait for the broker in all, not one per address.
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        try {
            for (var address : open.entrySet()) {
                apply(management, address.getKey(), address.getValue(), deadline);
            }
            LOG.debugf("Outside senders may send to %s", open.entrySet().stream().filter(e -> e.getValue())
                    .map(e -> e.getKey()).toList());
        } finally {
            management.close();
        }
    }

    /** Each consumer's address, and whether some consumer of it takes outside senders. */
    SortedMap<String, Boolean> addresses() {
        SortedMap<String, Boolean> addresses = new TreeMap<>();
        String prefix = broker.addressPrefix().orElse("");
        for (String channel : policies.consumers()) {
            String address = rawConfig.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class)
                    .orElse(channel);
            String match = BrokerAddresses.addressPart(BrokerAddresses.queueName(prefix, address));
            addresses.merge(match, policies.forConsumer(channel).outsideSenders(), Boolean::logicalOr);
        }
        return addresses;
    }

    private void apply(ArtemisManagement management, String address, boolean open, long deadline) {
        String service = broker.serviceRole();
        JsonArray parameters = new JsonArray().add(address)
                .add(open ? service + "," + broker.senderRole().get() : service);
        for (int i = 1; i < ROLE_COLUMNS; i++) {
            parameters.add(service);
        }
        try {
            management.callUntil("broker", "addSecuritySettings", parameters, deadline);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Fail closed: the sender's role has nothing there by default.
            LOG.warnf("Could not set who may send to %s (%s): outside senders cannot send there", address, e.toString());
        }
    }
}
