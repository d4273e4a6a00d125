package dev.errand.core.backpressure;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.core.broker.BrokerClients;
import dev.errand.core.broker.BrokerProbe;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads queue depths from the broker itself, through Artemis' management API over AMQP: a request
 * to {@code activemq.management} naming the resource ({@code queue.<name>}) and the operation
 * ({@code getMessageCount}: waiting, in delivery and scheduled messages), answered on a temporary
 * reply queue. The same works against an external Artemis, given a user allowed to manage.
 * <p>
 * When the broker cannot be reached, callers get an empty answer at once for
 * {@value #UNREACHABLE_BACKOFF_SECONDS} s instead of each waiting out the timeout.
 */
@ApplicationScoped
public class QueueDepths {

    private static final Logger LOG = Logger.getLogger(QueueDepths.class);
    static final long UNREACHABLE_BACKOFF_SECONDS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final Vertx vertx;
    private final Config config;
    private final BrokerProbe broker;
    private volatile long unreachableUntilNanos;
    private AmqpClient client;
    private AmqpConnection connection;
    private AmqpSender sender;
    private String replyTo;
    private final Map<String, Promise<Long>> pending = new ConcurrentHashMap<>();

    public QueueDepths(Vertx vertx, Config config, BrokerProbe broker) {
        this.broker = broker;
        this.vertx = vertx;
        this.config = config;
    }

    /** The queue's depth (waiting, in delivery and scheduled), or empty when the broker could not be asked. */
    public OptionalLong depth(String queue) {
        return read(queue, "getMessageCount");
    }

    /**
     * Reads one numeric attribute of a queue through the management API, e.g.
     * {@code getScheduledCount}, {@code getDeliveringCount}, {@code getFirstMessageAge} (ms, 0 when
     * empty). Empty when the broker could not be asked.
     */
    public OptionalLong read(String queue, String operation) {
        if (!broker.capabilities().management() || System.nanoTime() < unreachableUntilNanos) {
            return OptionalLong.empty();
        }
        try {
            long value = ask(queue, operation).toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            return OptionalLong.of(value);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        } catch (Exception e) {
            if (e.getCause() instanceof Refused refused) {
                // The broker answered: the link is fine, only this question was refused.
                LOG.debugf("The broker refused %s of %s: %s", operation, queue, refused.getMessage());
                return OptionalLong.empty();
            }
            LOG.debugf("Could not read %s of %s: %s", operation, queue, e.toString());
            unreachableUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(UNREACHABLE_BACKOFF_SECONDS);
            disconnect();
            return OptionalLong.empty();
        }
    }

    private synchronized Future<Long> ask(String queue, String operation) {
        return connected().compose(ready -> {
            String id = java.util.UUID.randomUUID().toString();
            Promise<Long> answer = Promise.promise();
            pending.put(id, answer);
            sender.send(AmqpMessage.create()
                    .id(id)
                    .address(MANAGEMENT_ADDRESS)
                    .replyTo(replyTo)
                    .applicationProperties(new JsonObject()
                            .put("_AMQ_ResourceName", "queue." + queue)
                            .put("_AMQ_OperationName", operation))
                    .withBody("[]")
                    .build());
            vertx.setTimer(TIMEOUT.toMillis(), timer -> {
                Promise<Long> late = pending.remove(id);
                if (late != null) {
                    late.tryFail("no answer from the broker's management");
                }
            });
            return answer.future();
        });
    }

    private synchronized Future<Void> connected() {
        if (sender != null) {
            return Future.succeededFuture();
        }
        client = AmqpClient.create(vertx, BrokerClients.options(config));
        return client.connect()
                .compose(opened -> {
                    connection = opened;
                    return opened.createDynamicReceiver();
                })
                .compose(receiver -> {
                    replyTo = receiver.address();
                    receiver.handler(this::answered);
                    return connection.createSender(MANAGEMENT_ADDRESS);
                })
                .map(opened -> {
                    sender = opened;
                    return null;
                });
    }

    private void answered(AmqpMessage reply) {
        Object correlation = reply.correlationId();
        Promise<Long> answer = correlation == null ? null : pending.remove(correlation.toString());
        if (answer == null) {
            return;
        }
        try {
            boolean succeeded = reply.applicationProperties() == null
                    || !Boolean.FALSE.equals(reply.applicationProperties().getValue("_AMQ_OperationSucceeded"));
            String body = reply.isBodyNull() ? "[]" : bodyText(reply);
            if (!succeeded) {
                answer.tryFail(new Refused(body));
                return;
            }
            JsonArray values = new JsonArray(body);
            // getFirstMessageAge answers [] or [null] for an empty queue.
            Object value = values.isEmpty() ? null : values.getValue(0);
            answer.tryComplete(value instanceof Number number ? number.longValue() : 0L);
        } catch (RuntimeException e) {
            answer.tryFail(new Refused("unreadable answer: " + e));
        }
    }

    /** Artemis answers with an AMQP string value; accept a data section too. */
    private static String bodyText(AmqpMessage reply) {
        try {
            return reply.bodyAsString();
        } catch (RuntimeException notAString) {
            return reply.bodyAsBinary().toString();
        }
    }

    private synchronized void disconnect() {
        AmqpClient closing = client;
        client = null;
        connection = null;
        sender = null;
        if (closing != null) {
            closing.close();
        }
    }

    /** The broker answered that the operation failed (unknown queue, not permitted). */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Asks the broker again at the next read, even within the unreachable back-off. */
    public void retryNow() {
        unreachableUntilNanos = 0;
    }

    @PreDestroy
    void close() {
        disconnect();
    }

}
