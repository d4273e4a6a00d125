package dev.errand.internal.broker;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;

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
 * Artemis' management API over AMQP: a request to {@code activemq.management} naming the resource
 * ({@code queue.<name>}) and the operation ({@code getMessageCount}...), answered on a temporary
 * reply queue. The same works against an external Artemis, given a user allowed to manage. One
 * connection, opened at the first question and dropped by {@link #close()}.
 */
public final class ArtemisManagement implements BrokerManagement {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final Vertx vertx;
    private final Config config;
    private final Map<String, Promise<String>> pending = new ConcurrentHashMap<>();
    private AmqpClient client;
    private AmqpConnection connection;
    private AmqpSender sender;
    private String replyTo;

    public ArtemisManagement(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public long depth(String queue) throws Exception {
        return read(queue, "getMessageCount");
    }

    @Override
    public QueueState state(String queue) throws Exception {
        // getFirstMessageAge is 0 for an empty queue: no message, so no age.
        long age = read(queue, "getFirstMessageAge");
        return new QueueState(read(queue, "getMessageCount"), read(queue, "getDeliveringCount"),
                read(queue, "getScheduledCount"), age > 0 ? OptionalLong.of(age) : OptionalLong.empty(),
                OptionalLong.of(read(queue, "getMessagesAdded")),
                OptionalLong.of(read(queue, "getMessagesAcknowledged")));
    }

    private long read(String queue, String operation) throws Exception {
        String answer = call("queue." + BrokerAddresses.queuePart(queue), operation, new JsonArray());
        JsonArray values = new JsonArray(answer);
        // getFirstMessageAge answers [] or [null] for an empty queue.
        Object value = values.isEmpty() ? null : values.getValue(0);
        return value instanceof Number number ? number.longValue() : 0L;
    }

    /**
     * Runs one management operation and returns Artemis' answer, a JSON array as text.
     *
     * @throws Refused when Artemis answers that the operation failed
     */
    public String call(String resource, String operation, JsonArray parameters) throws Exception {
        try {
            return ask(resource, operation, parameters).toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Refused refused) {
                throw refused;
            }
            throw e;
        }
    }

    /**
     * {@link #call}, tried again every half second until it succeeds or {@code deadline}
     * ({@link System#nanoTime()}) passes: at start-up the broker may not be listening yet.
     *
     * @throws Exception the last failure, once the deadline has passed
     */
    public String callUntil(String resource, String operation, JsonArray parameters, long deadline) throws Exception {
        while (true) {
            try {
                return call(resource, operation, parameters);
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private synchronized Future<String> ask(String resource, String operation, JsonArray parameters) {
        return connected().compose(ready -> {
            String id = UUID.randomUUID().toString();
            Promise<String> answer = Promise.promise();
            pending.put(id, answer);
            sender.send(AmqpMessage.create()
                    .id(id)
                    .address(MANAGEMENT_ADDRESS)
                    .replyTo(replyTo)
                    .applicationProperties(new JsonObject()
                            .put("_AMQ_ResourceName", resource)
                            .put("_AMQ_OperationName", operation))
                    .withBody(parameters.encode())
                    .build());
            vertx.setTimer(TIMEOUT.toMillis(), timer -> {
                Promise<String> late = pending.remove(id);
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
        Promise<String> answer = correlation == null ? null : pending.remove(correlation.toString());
        if (answer == null) {
            return;
        }
        try {
            boolean succeeded = reply.applicationProperties() == null
                    || !Boolean.FALSE.equals(reply.applicationProperties().getValue("_AMQ_OperationSucceeded"));
            String body = reply.isBodyNull() ? "[]" : bodyText(reply);
            if (succeeded) {
                answer.tryComplete(body);
            } else {
                answer.tryFail(new Refused(body));
            }
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

    @Override
    public synchronized void close() {
        AmqpClient closing = client;
        client = null;
        connection = null;
        sender = null;
        if (closing != null) {
            closing.close();
        }
    }
}
