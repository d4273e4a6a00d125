package dev.errand.internal.sending;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.broker.BrokerClients;
import dev.errand.internal.broker.BrokerProbe;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sends on a connection of its own: through one anonymous-relay link where the broker offers the relay
 * (Artemis), otherwise through one link per address (RabbitMQ's AMQP 1.0 plugin before 4.0).
 * <p>
 * Each send ends with the broker's outcome for that message alone: a message the broker refuses
 * (rejected, released, modified) fails its own send, and the link goes on with the next one. That is
 * why Errand does not send through a SmallRye AMQP outgoing channel: its connector retries a refused
 * message ({@code retry-on-fail-attempts}), then fails the channel's whole stream and closes every
 * channel of the connector, incoming ones included ({@code SRMSG16225}), until the service restarts.
 * <p>
 * Links are opened on first use and kept; a link the broker closed is opened again at the next send,
 * and a lost connection drops them all, so a broker restart costs the sends in flight (they fail, and
 * their callers retry: the outbox relay, the consumers' settling) and nothing else.
 */
@ApplicationScoped
public class LinkSender {

    private static final Logger LOG = Logger.getLogger(LinkSender.class);
    /** The key of the anonymous-relay link among the per-address ones (no address is empty). */
    private static final String ANONYMOUS = "";

    private final Vertx vertx;
    private final Config config;
    private final BrokerProbe broker;
    private final Map<String, Future<AmqpSender>> senders = new ConcurrentHashMap<>();
    private AmqpClient client;
    private Future<AmqpConnection> connection;

    public LinkSender(Vertx vertx, Config config, BrokerProbe broker) {
        this.vertx = vertx;
        this.config = config;
        this.broker = broker;
    }

    /**
     * Completes once the broker has accepted the message; fails with {@link NotStored} (the address and
     * the broker's reason) when it did not.
     */
    public CompletionStage<Void> send(String address, AmqpMessage message) {
        String link = broker.capabilities().anonymousRelay() ? ANONYMOUS : address;
        Future<AmqpSender> sender = sender(link);
        return sender.compose(open -> open.sendWithAck(message))
                .recover(error -> {
                    forgetIfClosed(link, sender);
                    return Future.failedFuture(new NotStored(address, error));
                })
                .toCompletionStage();
    }

    private Future<AmqpSender> sender(String link) {
        return senders.computeIfAbsent(link, any -> connection()
                .compose(open -> ANONYMOUS.equals(link) ? open.createAnonymousSender() : open.createSender(link)));
    }

    /**
     * A refused message leaves its link open, and the next message goes through it. A link that never
     * attached (RabbitMQ: a queue that is not declared), that the broker closed, or whose connection is
     * gone is dropped, and the next send opens it again (on a new connection if need be).
     */
    private void forgetIfClosed(String link, Future<AmqpSender> sender) {
        if (sender.failed() || (sender.succeeded() && (!sender.result().unwrap().isOpen()
                || sender.result().connection().isDisconnected()))) {
            senders.remove(link, sender);
        }
    }

    private synchronized Future<AmqpConnection> connection() {
        // A connection closed without an exception (a broker that shut down cleanly) is as lost.
        boolean lost = connection != null && connection.succeeded() && connection.result().isDisconnected();
        if (lost) {
            senders.clear();
        }
        if (connection == null || connection.failed() || lost) {
            if (client == null) {
                client = AmqpClient.create(vertx, BrokerClients.options(config));
            }
            connection = client.connect().onSuccess(open -> open.exceptionHandler(error -> {
                LOG.debugf("Connection for Errand's sending links lost: %s", error.toString());
                reset();
            }));
        }
        return connection;
    }

    private synchronized void reset() {
        senders.clear();
        connection = null;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
