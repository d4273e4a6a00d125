package dev.errand.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.errand.internal.broker.BrokerAddresses;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A plain AMQP 1.0 client standing for "any sender": it knows nothing of Errand but the wire
 * contract.
 */
public final class AnySender implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Vertx vertx = Vertx.vertx();
    private final AmqpConnection connection;
    /** Where this user sends to a queue: through RabbitMQ's errand.outside exchange for the sender user. */
    private final String sendPrefix;

    /**
     * Connects as an outside sender: with the least-privileged sender user where the broker has one
     * (the embedded Artemis), else with the broker's credentials.
     */
    public AnySender() {
        this(senderUsername(), senderPassword());
    }

    /** Connects with the service's own broker user, which may do anything. */
    public static AnySender asService() {
        return new AnySender(ConfigProvider.getConfig().getValue("amqp-username", String.class),
                ConfigProvider.getConfig().getValue("amqp-password", String.class));
    }

    public static String senderUsername() {
        return ConfigProvider.getConfig().getOptionalValue("test.amqp-sender-username", String.class)
                .orElseGet(() -> ConfigProvider.getConfig().getValue("amqp-username", String.class));
    }

    public static String senderPassword() {
        return ConfigProvider.getConfig().getOptionalValue("test.amqp-sender-password", String.class)
                .orElseGet(() -> ConfigProvider.getConfig().getValue("amqp-password", String.class));
    }

    /**
     * What an outside sender puts before a queue's name: {@code /exchange/errand.outside/} on RabbitMQ,
     * {@code /amq/queue/} where the tests use the service's own user as the sender, nothing on Artemis.
     */
    public static String senderAddressPrefix() {
        var config = ConfigProvider.getConfig();
        return config.getOptionalValue("test.sender-address-prefix", String.class)
                .orElseGet(() -> config.getOptionalValue("errand.broker.address-prefix", String.class).orElse(""));
    }

    /** Opens a receiver and waits until the broker has accepted the link. */
    public AmqpReceiver receive(String address) {
        return await(connection.createReceiver(onBroker(address)));
    }

    /** Connects with the given credentials; {@code null} for an anonymous connection. */
    public AnySender(String username, String password) {
        var config = ConfigProvider.getConfig();
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.getValue("amqp-host", String.class))
                // The plain port even where a test points the service at the broker's AMQPS one.
                .setPort(config.getOptionalValue("test.amqp-plain-port", Integer.class)
                        .orElseGet(() -> config.getValue("amqp-port", Integer.class)))
                .setConnectTimeout((int) TIMEOUT.toMillis());
        if (username != null) {
            options.setUsername(username).setPassword(password);
        }
        sendPrefix = username != null && username.equals(config.getOptionalValue("test.amqp-sender-username", String.class)
                .orElse(null)) ? config.getOptionalValue("test.sender-address-prefix", String.class).orElse(null) : null;
        AmqpClient client = AmqpClient.create(vertx, options);
        try {
            connection = await(client.connect());
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Sends and waits until the broker has accepted the message. */
    public void send(String address, AmqpMessage message) {
        AmqpSender sender = await(connection.createSender(sendingTo(address)));
        try {
            await(sender.sendWithAck(message));
        } finally {
            closeQuietly(sender);
        }
    }

    /** Sends all on one link, in order, and waits until the broker has accepted every one. */
    public void sendAll(String address, List<AmqpMessage> messages) {
        AmqpSender sender = await(connection.createSender(sendingTo(address)));
        try {
            List<java.util.concurrent.CompletableFuture<Void>> acks = new java.util.ArrayList<>();
            for (AmqpMessage message : messages) {
                acks.add(sender.sendWithAck(message).toCompletionStage().toCompletableFuture());
            }
            java.util.concurrent.CompletableFuture.allOf(acks.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("The broker did not accept every message", e);
        } finally {
            closeQuietly(sender);
        }
    }

    /** Opens a receiver that takes messages and never settles them, like a consumer about to crash. */
    public AmqpReceiver receiveWithoutSettling(String address, List<AmqpMessage> received) {
        AmqpReceiver receiver = await(connection.createReceiver(onBroker(address),
                new AmqpReceiverOptions().setAutoAcknowledgement(false).setMaxBufferedMessages(10)));
        receiver.handler(received::add);
        return receiver;
    }

    /**
     * Closes a link without waiting for the broker's answer: the messages are already accepted, and
     * RabbitMQ's AMQP 1.0 plugin (3.10) does not always answer a detach.
     */
    private static void closeQuietly(AmqpSender sender) {
        sender.close();
    }

    /**
     * Where this user sends to a queue: on RabbitMQ the sender user may not write to the default
     * exchange ({@code /amq/queue/<name>}), only to {@code /exchange/errand.outside/<name>}, which reaches
     * the queues open to outside senders (docs/operations/security.md).
     */
    private String sendingTo(String queue) {
        return sendPrefix != null && !queue.startsWith("/") ? sendPrefix + queue : onBroker(queue);
    }

    /** A queue's address on the broker in use: {@code /amq/queue/<name>} on RabbitMQ, the name on Artemis. */
    private static String onBroker(String queue) {
        return BrokerAddresses.onBroker(ConfigProvider.getConfig()
                .getOptionalValue("errand.broker.address-prefix", String.class).orElse(""), queue);
    }

    @Override
    public void close() {
        try {
            await(connection.close());
        } finally {
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("AMQP operation failed", e);
        }
    }
}
