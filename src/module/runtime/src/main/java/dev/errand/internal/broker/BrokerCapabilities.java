package dev.errand.internal.broker;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.apache.qpid.proton.amqp.Symbol;

/**
 * What the broker offers that Errand relies on, read from the AMQP open frame it sends.
 *
 * @param anonymousRelay   links without a target, each message naming its address: Errand sends
 *                         everything (tasks, retries, dead letters) through one such link, and
 *                         without it through one link per address
 * @param delayedDelivery  {@code x-opt-delivery-time}: retries scheduled on the broker; without it a
 *                         retry waits out its backoff inside the consumer instead
 * @param messageGroups    {@code group-id}: one consumer per ordering key across instances; without
 *                         it, a queue declared with a single active consumer keeps per-key order
 *                         across instances (see {@link BrokerProbe})
 * @param management       queue depths (backpressure and metrics): Artemis' management address, or
 *                         RabbitMQ's management HTTP API where {@code errand.broker.management-url}
 *                         is set and answers
 * @param known            whether the broker could be asked at all
 */
public record BrokerCapabilities(String product, String version, boolean anonymousRelay, boolean delayedDelivery,
        boolean messageGroups, boolean management, boolean known) {

    static final Symbol ANONYMOUS_RELAY = Symbol.valueOf("ANONYMOUS-RELAY");
    static final Symbol DELAYED_DELIVERY = Symbol.valueOf("DELAYED_DELIVERY");
    private static final Symbol PRODUCT = Symbol.valueOf("product");
    private static final Symbol VERSION = Symbol.valueOf("version");

    /** From the broker's open frame: its properties and the capabilities it offers. */
    public static BrokerCapabilities from(Map<Symbol, Object> properties, Symbol[] offered) {
        String product = properties == null ? null : String.valueOf(properties.getOrDefault(PRODUCT, "unknown"));
        String version = properties == null ? null : String.valueOf(properties.getOrDefault(VERSION, "unknown"));
        boolean artemis = product != null && product.toLowerCase(Locale.ROOT).contains("artemis");
        var capabilities = offered == null ? java.util.List.<Symbol>of() : Arrays.asList(offered);
        return new BrokerCapabilities(product, version, capabilities.contains(ANONYMOUS_RELAY),
                capabilities.contains(DELAYED_DELIVERY), artemis, artemis, true);
    }

    /** Whether this is Artemis, Errand's default broker; one that could not be asked is taken to be. */
    public boolean artemis() {
        return !known || product.toLowerCase(Locale.ROOT).contains("artemis");
    }

    /** The same, with management found (or not) by another way than the open frame. */
    public BrokerCapabilities withManagement(boolean found) {
        return new BrokerCapabilities(product, version, anonymousRelay, delayedDelivery, messageGroups, found, known);
    }

    /** The broker could not be asked: assume what Errand's default broker offers, and say so. */
    public static BrokerCapabilities unknown() {
        return new BrokerCapabilities("unknown", "unknown", true, true, true, true, false);
    }

    /** One line for the start-up log. */
    public String describe() {
        if (!known) {
            return "broker not reachable at start-up: assuming anonymous relay, scheduled delivery, message groups"
                    + " and management (checked again at the next start)";
        }
        return product + " " + version + ": anonymous relay " + (anonymousRelay ? "yes" : "no (one link per address)")
                + ", scheduled delivery " + (delayedDelivery ? "yes" : "no (retries wait in the consumer)")
                + ", message groups " + (messageGroups ? "yes"
                        : "no (per-key order holds within one instance, or across instances on a queue with a single"
                                + " active consumer)")
                + ", management " + (management ? (artemis() ? "yes" : "yes (HTTP API)")
                        : "no (no queue depths: backpressure admits, depth gauges stay 0"
                                + (artemis() ? ")" : "; set errand.broker.management-url)"));
    }
}
