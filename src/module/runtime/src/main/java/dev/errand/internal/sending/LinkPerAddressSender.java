package dev.errand.internal.sending;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.broker.BrokerClients;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Sends through one link per address, on a connection of its own, for brokers that offer no
 * anonymous relay. Links are opened on first use and kept; a lost connection drops them all, and
 * the next send connects again, so a broker restart costs the sends in flight (they fail, and their
 * callers retry: the outbox relay, the consumers' settling) and nothing else.
 */
@ApplicationScoped
public class LinkPerAddressSender {

    private static final Logger LOG = Logger.getLogger(LinkPerAddressSender.class);

    private final Vertx vertx;
    private final Config config;
    private final Map<String, Future<AmqpSender>> senders = new ConcurrentHashMap<>();
    private AmqpClient client;
    private Future<AmqpConnection> connection;

    public LinkPerAddressSender(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
    }

    /** Completes once the broker has accepted the message. */
    public CompletionStage<Void> send(String address, AmqpMessage message) {
        return sender(address).compose(sender -> sender.sendWithAck(message))
                .onFailure(error -> forget(address))
                .toCompletionStage();
    }

    private Future<AmqpSender> sender(String address) {
        return senders.computeIfAbsent(address, any -> connection().compose(open -> open.createSender(address)));
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
                LOG.debugf("Connection for per-address links lost: %s", error.toString());
                reset();
            }));
        }
        return connection;
    }

    private void forget(String address) {
        senders.remove(address);
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
