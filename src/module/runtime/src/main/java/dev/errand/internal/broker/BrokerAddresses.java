package dev.errand.internal.broker;

/**
 * The one place that knows a broker's form of a queue address ({@code errand.broker.address-prefix}:
 * {@code /amq/queue/} on RabbitMQ, none on Artemis). Errand keeps plain queue names everywhere
 * (dead letters, backpressure, metrics) and puts the form on only when it talks to the broker.
 */
public final class BrokerAddresses {

    private BrokerAddresses() {
    }

    /** The address to send to; one that already has a form (starts with {@code /}) is kept. */
    public static String onBroker(String prefix, String queue) {
        return queue.startsWith("/") ? queue : prefix + queue;
    }

    /** The addresses of every incoming channel configured, in name order. */
    public static java.util.SortedSet<String> consumed(org.eclipse.microprofile.config.Config config) {
        java.util.SortedSet<String> addresses = new java.util.TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".address")) {
                config.getOptionalValue(name, String.class).ifPresent(addresses::add);
            }
        }
        return addresses;
    }

    /** The plain queue names of every incoming channel configured, in name order. */
    public static java.util.SortedSet<String> consumedQueues(org.eclipse.microprofile.config.Config config,
            String prefix) {
        java.util.SortedSet<String> queues = new java.util.TreeSet<>();
        consumed(config).forEach(address -> queues.add(queueName(prefix, address)));
        return queues;
    }

    /**
     * The queues the service reads, by the names an operator declares them under: every incoming
     * channel's queue, a subscription's without its events address, in name order.
     */
    public static java.util.SortedSet<String> declaredQueues(org.eclipse.microprofile.config.Config config,
            String prefix) {
        java.util.SortedSet<String> queues = new java.util.TreeSet<>();
        consumedQueues(config, prefix).forEach(queue -> queues.add(queuePart(queue)));
        return queues;
    }

    /** The plain queue name of a configured address. */
    public static String queueName(String prefix, String address) {
        return !prefix.isEmpty() && address.startsWith(prefix) ? address.substring(prefix.length()) : address;
    }

    /**
     * The queue of an address that may be fully qualified ({@code errand.events::errand.events.kitchen},
     * a subscription queue on Artemis): what the broker's management knows it by.
     */
    public static String queuePart(String address) {
        int separator = address.indexOf("::");
        return separator < 0 ? address : address.substring(separator + 2);
    }

    /**
     * The address of an address that may be fully qualified: what Artemis' security settings match
     * ({@code errand.events} for the subscription queue {@code errand.events::errand.events.kitchen}).
     */
    public static String addressPart(String address) {
        int separator = address.indexOf("::");
        return separator < 0 ? address : address.substring(0, separator);
    }
}
