package dev.errand.internal.handling;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.errand.Origin;
import dev.errand.Steps;
import dev.errand.TaskHandler;
import dev.errand.internal.broker.BrokerProbe;
import dev.errand.internal.contract.ContractViolation;
import dev.errand.internal.contract.Envelope;
import dev.errand.internal.contract.EnvelopeReader;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.idempotency.IdempotentExecutor;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.tracing.Tracing;
import dev.errand.internal.trust.MessageAdmission;
import dev.errand.internal.trust.UntrustedSender;

/**
 * Reliable handling of AMQP messages, for {@code @Incoming} beans:
 * <ol>
 * <li>the message is checked against the wire contract and mapped to the payload type; a breach is
 * dead-lettered at once;</li>
 * <li>it waits in the consumer's dispatcher for its turn: its ordering key's predecessors, its
 * priority, the concurrency and rate limits, a closed circuit breaker;</li>
 * <li>the handler runs at most once per (consumer, message-id), in one transaction with the
 * processed-message marker;</li>
 * <li>transient failures are retried in process a few times, then scheduled on the broker with
 * exponential backoff (no worker waits), until {@code max-attempts};</li>
 * <li>a message that breaks the contract, fails permanently or runs out of attempts is copied to the
 * dead-letter queue with its history;</li>
 * <li>only then is it acknowledged. A crash before that leaves it on the broker for redelivery.</li>
 * </ol>
 * The method is not {@code @Blocking}: handlers run on the consumer's own threads, sized by
 * {@code errand.consumers."<channel>".concurrency}.
 * <pre>{@code
 * @Incoming("grants")
 * public CompletionStage<Void> grant(Message<?> message) {
 *     return errands.process("grants", message, GrantCoupon.class, task -> ...);
 * }
 * }</pre>
 */
@ApplicationScoped
public class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);

    private final EnvelopeReader reader;
    private final MessageAdmission admission;
    private final IdempotentExecutor idempotent;
    private final ConsumerPolicies policies;
    private final ConsumerRegistry consumers;
    private final BreakerBinding breakers;
    private final Settler settler;
    private final ErrandMetrics metrics;
    private final Tracing tracing;
    private final BrokerProbe broker;
    private final Steps steps;
    private final Clock clock = Clock.systemUTC();
    /** What every delivery of a consumer shares, made once per channel. */
    private final Map<String, Delivery.Context> contexts = new ConcurrentHashMap<>();

    Intake(EnvelopeReader reader, MessageAdmission admission, IdempotentExecutor idempotent, ConsumerPolicies policies, ConsumerRegistry consumers,
            BreakerBinding breakers, Settler settler, ErrandMetrics metrics, Tracing tracing, BrokerProbe broker, Steps steps) {
        this.steps = steps;
        this.tracing = tracing;
        this.broker = broker;
        this.reader = reader;
        this.admission = admission;
        this.idempotent = idempotent;
        this.policies = policies;
        this.consumers = consumers;
        this.breakers = breakers;
        this.settler = settler;
        this.metrics = metrics;
    }

    /**
     * Takes the message into its consumer, which handles and settles it. The stage completes when the
     * consumer has room for the next message, so returning it from the {@code @Incoming} method is
     * what keeps the channel from taking more than the consumer can hold.
     *
     * @param channel the {@code @Incoming} channel: it names the consumer (idempotency markers,
     *                settings under {@code errand.consumers."<channel>"}) and, through its configured
     *                address, the queue that retries and dead-letter replays go back to
     */
    public <T> CompletionStage<Void> process(String channel, Message<?> message, Class<T> type,
            TaskHandler<T> handler) {
        return process(channel, message, type, task -> {
            handler.handle(task);
            return RunOutcome.DONE;
        });
    }

    /**
     * The same, for a run that may ask to come back later: a durable function's generated bridge hands
     * its messages here.
     */
    public <T> CompletionStage<Void> process(String channel, Message<?> message, Class<T> type,
            MessageRun<T> handler) {
        try {
            return dispatch(channel, message, type, handler);
        } catch (RuntimeException e) {
            // An exception out of an @Incoming method ends the channel's stream: give the message back
            // instead, and the channel goes on.
            LOG.errorf(e, "Could not take a message of %s; releasing it", channel);
            return message.nack(e);
        }
    }

    private <T> CompletionStage<Void> dispatch(String channel, Message<?> message, Class<T> type,
            MessageRun<T> handler) {
        ConsumerPolicy policy = policies.forConsumer(channel);
        // The queue comes from the channel, not from the message's "to", which many senders leave empty.
        // Who wrote it is decided first: nothing of an unsigned message is trusted.
        Envelope envelope = admission.admit(reader.read(message).fromQueue(policy.queue()));
        AttemptHistory history = AttemptHistory.of(envelope);
        if (envelope.origin() == Origin.OUTSIDE && !policy.outsideSenders()) {
            // Not processed and not marked: the service's own message with this id still runs when it comes.
            history.failed(new UntrustedSender(channel), clock.instant());
            metrics.counted(channel, ErrandMetrics.HandlerOutcome.DEAD_LETTERED);
            return settler.deadLetter(channel, message, envelope, FailureKind.UNTRUSTED_SENDER, history);
        }
        T payload;
        try {
            payload = reader.payload(envelope, type);
        } catch (ContractViolation violation) {
            history.failed(violation, clock.instant());
            metrics.counted(channel, ErrandMetrics.HandlerOutcome.DEAD_LETTERED);
            return settler.deadLetter(channel, message, envelope, FailureKind.CONTRACT_VIOLATION, history);
        }
        Delivery.Context context = contexts.computeIfAbsent(channel, any -> new Delivery.Context(policy, idempotent,
                settler, () -> breakers.anyOpen(policy), policies::isStopping, clock, metrics, tracing,
                () -> broker.capabilities().delayedDelivery(), steps));
        return consumers.dispatcher(policy).submit(new Delivery<>(context, message, envelope, payload, handler, history));
    }
}
