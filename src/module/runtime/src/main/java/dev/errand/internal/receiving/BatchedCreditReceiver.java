package dev.errand.internal.receiving;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.errand.internal.contract.SafeText;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonLinkOptions;
import io.vertx.proton.ProtonReceiver;

/**
 * One consumer's link, granting credit a batch at a time: a new batch only once the last one is used
 * up and every message of it has been handed over.
 * <p>
 * Why not the connector's receiver: it tops the credit up by one for each message it hands over.
 * RabbitMQ 3.x's classic queues ignore the delivery count a flow carries and take its credit as
 * absolute, so every top-up sent while messages are between the queue and the link gives those
 * messages again: the link is over-delivered until the consumer holds the whole queue
 * (bench/rabbitmq/credit-check.py; 9,959 of 10,000 unsettled in one consumer). A batch granted when
 * the credit is zero has nothing in transit to count twice, so the broker sends exactly what was
 * granted, and this consumer holds at most {@code credit} messages here plus what its dispatcher
 * holds.
 * <p>
 * Everything but {@link #messages()} runs on one Vert.x context, as vertx-proton requires; a lost
 * connection or link is opened again every {@code reconnectInterval}, and the messages it had
 * delivered are the broker's again (a later settlement of one of them is dropped, and its
 * redelivery is recognised by the processed-message marker).
 */
final class BatchedCreditReceiver {

    private static final Logger LOG = Logger.getLogger(BatchedCreditReceiver.class);

    private final Vertx vertx;
    private final Context context;
    private final AmqpClientOptions options;
    private final String channel;
    private final String address;
    private final Symbol[] capabilities;
    private final int credit;
    private final Duration reconnectInterval;
    private final Supplier<DeliveryState> onNack;

    // Confined to the context.
    private final ArrayDeque<Message<?>> arrived = new ArrayDeque<>();
    private MultiEmitter<? super Message<?>> emitter;
    private ProtonConnection connection;
    private ProtonReceiver link;
    /** Which link a delivery came on: one of an earlier link is not settled on the new one. */
    private long generation;
    private boolean reconnecting;
    private boolean warned;
    private boolean closed;
    /** Read by health checks from other threads. */
    private volatile boolean attached;

    BatchedCreditReceiver(Vertx vertx, AmqpClientOptions options, String channel, String address,
            Symbol[] capabilities, int credit, Duration reconnectInterval, Supplier<DeliveryState> onNack) {
        if (credit < 1) {
            throw new IllegalArgumentException("credit of channel " + channel + " must be at least 1, was " + credit);
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.options = options;
        this.channel = channel;
        this.address = address;
        this.capabilities = capabilities;
        this.credit = credit;
        this.reconnectInterval = reconnectInterval;
        this.onNack = onNack;
    }

    /** The channel's messages; the link opens on subscription and closes on cancellation. */
    Multi<Message<?>> messages() {
        return Multi.createFrom().emitter(subscriber -> context.runOnContext(v -> {
            emitter = subscriber;
            subscriber.onRequest(n -> context.runOnContext(any -> handOver()));
            subscriber.onTermination(() -> context.runOnContext(any -> close()));
            connect();
        }));
    }

    String channel() {
        return channel;
    }

    boolean attached() {
        return attached;
    }

    void close() {
        context.runOnContext(v -> {
            closed = true;
            arrived.clear();
            if (connection != null) {
                connection.close();
                connection.disconnect();
            }
        });
    }

    private void connect() {
        if (closed) {
            return;
        }
        ProtonClient.create(vertx).connect(options, options.getHost(), options.getPort(), options.getUsername(),
                options.getPassword(), result -> {
                    if (result.failed()) {
                        lost(null, result.cause().toString());
                        return;
                    }
                    ProtonConnection opened = result.result();
                    if (closed) {
                        opened.disconnect();
                        return;
                    }
                    opened.setContainer(options.getContainerId())
                            .openHandler(open -> {
                                if (open.failed()) {
                                    lost(opened, open.cause().toString());
                                } else {
                                    attach(opened);
                                }
                            })
                            .closeHandler(any -> lost(opened, "connection closed by the broker" + condition(opened)))
                            .disconnectHandler(any -> lost(opened, "disconnected"))
                            .open();
                });
    }

    private void attach(ProtonConnection opened) {
        long current = ++generation;
        ProtonReceiver receiver = opened.createReceiver(address, new ProtonLinkOptions().setLinkName(channel));
        if (capabilities.length > 0) {
            ((Source) receiver.getSource()).setCapabilities(capabilities);
        }
        receiver.setPrefetch(0)
                .setAutoAccept(false)
                .handler((delivery, message) -> arrived(current, delivery, message))
                .openHandler(attach -> {
                    if (attach.failed()) {
                        lost(opened, "link refused: " + attach.cause());
                        return;
                    }
                    connection = opened;
                    link = receiver;
                    attached = true;
                    reconnecting = false;
                    if (warned) {
                        LOG.infof("Channel %s receives from %s again", channel, address);
                        warned = false;
                    } else {
                        LOG.debugf("Channel %s receives from %s, %d credits at a time", channel, address, credit);
                    }
                    grant();
                })
                .closeHandler(any -> lost(opened, "link closed by the broker" + condition(receiver)))
                .detachHandler(any -> lost(opened, "link detached by the broker" + condition(receiver)))
                .open();
    }

    private void arrived(long from, ProtonDelivery delivery, org.apache.qpid.proton.message.Message message) {
        if (from != generation || closed) {
            return;
        }
        AmqpMessage amqp = AmqpMessage.create(message).build();
        arrived.add(Message.of(payload(message), Metadata.of(new IncomingAmqpMetadata(amqp)),
                () -> settle(from, delivery, Accepted.getInstance()),
                error -> settle(from, delivery, onNack.get())));
        handOver();
    }

    /** As many waiting messages as downstream asked for, then more credit if the batch is done. */
    private void handOver() {
        while (emitter != null && !arrived.isEmpty() && emitter.requested() > 0) {
            emitter.emit(arrived.poll());
        }
        grant();
    }

    private void grant() {
        // Credit zero: every message granted has arrived, none is in transit to be counted twice.
        // Nothing left here: what this consumer holds stays bounded while downstream is paused.
        if (link != null && !closed && link.getCredit() <= 0 && arrived.isEmpty()) {
            link.flow(credit);
        }
    }

    private CompletionStage<Void> settle(long from, ProtonDelivery delivery, DeliveryState outcome) {
        CompletableFuture<Void> settled = new CompletableFuture<>();
        context.runOnContext(v -> {
            // From an earlier link: the broker took it back when that link went, and delivers it again.
            if (from == generation && link != null && !closed) {
                delivery.disposition(outcome, true);
            }
            settled.complete(null);
        });
        return settled;
    }

    private void lost(ProtonConnection which, String why) {
        if (closed || reconnecting || (which != null && connection != null && which != connection)) {
            return;
        }
        reconnecting = true;
        attached = false;
        generation++;
        arrived.clear();
        link = null;
        connection = null;
        if (which != null) {
            which.disconnect();
        }
        if (!warned) {
            LOG.warnf("Channel %s lost its link to %s (%s); it tries again every %s", channel, address, SafeText.forLog(why),
                    reconnectInterval);
            warned = true;
        } else {
            LOG.debugf("Channel %s: %s", channel, SafeText.forLog(why));
        }
        vertx.setTimer(reconnectInterval.toMillis(), t -> context.runOnContext(v -> {
            reconnecting = false;
            connect();
        }));
    }

    private static String condition(io.vertx.proton.ProtonLink<?> link) {
        return link.getRemoteCondition() == null ? "" : ": " + link.getRemoteCondition().getDescription();
    }

    private static String condition(ProtonConnection connection) {
        return connection.getRemoteCondition() == null ? "" : ": " + connection.getRemoteCondition().getDescription();
    }

    /** The body as Errand's contract reader takes it: text, bytes or a map; null when there is none. */
    static Object payload(org.apache.qpid.proton.message.Message message) {
        Object body = message.getBody();
        if (body instanceof Data data) {
            return bytes(data.getValue());
        }
        if (body instanceof AmqpValue value) {
            Object content = value.getValue();
            return content instanceof Binary binary ? bytes(binary) : content;
        }
        if (body instanceof AmqpSequence sequence) {
            return sequence.getValue();
        }
        return null;
    }

    private static byte[] bytes(Binary binary) {
        return binary == null ? null
                : Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(), binary.getArrayOffset() + binary.getLength());
    }
}
