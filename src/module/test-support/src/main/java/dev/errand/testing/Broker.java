package dev.errand.testing;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Operates the embedded Artemis as an operator would, over JMX: takes its AMQP acceptor down and up
 * (every client is disconnected: "the broker is down"), and pauses a queue's deliveries. On the
 * RabbitMQ run ({@code -Pbroker-rabbitmq}) the same through {@link RabbitMq}.
 */
public final class Broker {

    private static final String BROKER = "org.apache.activemq.artemis:broker=\"errand-embedded\"";

    private Broker() {
    }

    public static void stopAmqp() {
        if (RabbitMq.selected()) {
            RabbitMq.stopListeners();
            return;
        }
        invoke(BROKER + ",component=acceptors,name=\"amqp\"", "stop");
    }

    public static void startAmqp() {
        if (RabbitMq.selected()) {
            RabbitMq.startListeners();
            return;
        }
        invoke(BROKER + ",component=acceptors,name=\"amqp\"", "start");
    }

    /** Messages stay on the queue, delivered to no consumer, until {@link #resume}. */
    public static void pause(String queue) {
        if (RabbitMq.selected()) {
            RabbitMq.pauseConsumer(queue, true);
            return;
        }
        invoke(queueName(queue), "pause");
    }

    public static void resume(String queue) {
        if (RabbitMq.selected()) {
            RabbitMq.pauseConsumer(queue, false);
            return;
        }
        invoke(queueName(queue), "resume");
    }

    public static long depth(String queue) {
        if (RabbitMq.selected()) {
            return RabbitMq.depth(queue);
        }
        return queueCount(queue, "MessageCount");
    }

    /** Consumers attached to the queue, as the broker counts them. */
    public static long consumers(String queue) {
        if (RabbitMq.selected()) {
            return RabbitMq.consumers(queue);
        }
        return queueCount(queue, "ConsumerCount");
    }

    /** One of the embedded Artemis queue's counts, over JMX. */
    private static long queueCount(String queue, String attribute) {
        try {
            return ((Number) server().getAttribute(new ObjectName(queueName(queue)), attribute)).longValue();
        } catch (Exception e) {
            throw new IllegalStateException("Could not read " + attribute + " of " + queue, e);
        }
    }

    /**
     * From now on the broker refuses every message sent to {@code address} (the service's role loses
     * its send permission there; Artemis takes the most specific match alone), until
     * {@link #acceptSends}. Artemis only.
     */
    public static void refuseSends(String address) {
        String role = "errand";
        try {
            server().invoke(new ObjectName(BROKER), "addSecuritySettings",
                    new Object[] { address, "", role, role, role, role, role, role, role, role, role },
                    Collections.nCopies(11, String.class.getName()).toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException("Could not refuse sends to " + address, e);
        }
    }

    public static void acceptSends(String address) {
        try {
            server().invoke(new ObjectName(BROKER), "removeSecuritySettings", new Object[] { address },
                    new String[] { String.class.getName() });
        } catch (Exception e) {
            throw new IllegalStateException("Could not accept sends to " + address, e);
        }
    }

    private static String queueName(String queue) {
        return BROKER + ",component=addresses,address=\"" + queue + "\",subcomponent=queues,routing-type=\"anycast\","
                + "queue=\"" + queue + "\"";
    }

    private static void invoke(String name, String operation) {
        try {
            server().invoke(new ObjectName(name), operation, new Object[0], new String[0]);
        } catch (Exception e) {
            throw new IllegalStateException("Could not " + operation + " " + name, e);
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }
}
