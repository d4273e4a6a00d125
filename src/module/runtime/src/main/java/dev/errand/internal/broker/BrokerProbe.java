package dev.errand.internal.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.internal.contract.DeadLettersConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpConnection;
import io.vertx.core.Vertx;

/**
 * Asks the broker, once at start-up, what it offers (its AMQP open frame) and logs it. The rest of
 * Errand adapts to what is missing: see {@link BrokerCapabilities}.
 */
@ApplicationScoped
public class BrokerProbe {

    private static final Logger LOG = Logger.getLogger(BrokerProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Config config;
    private final BrokerConfig settings;
    private final String deadLetterAddress;
    private volatile BrokerCapabilities capabilities = BrokerCapabilities.unknown();
    private volatile boolean managementWarned;

    public BrokerProbe(Vertx vertx, Config config, BrokerConfig settings, DeadLettersConfig deadLetters) {
        this.vertx = vertx;
        this.config = config;
        this.settings = settings;
        this.deadLetterAddress = deadLetters.address();
    }

    // Before the messaging channels start (their observer runs at PLATFORM_BEFORE), so the first
    // message already goes the broker's way.
    void probe(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 100) StartupEvent startup) {
        capabilities = examine();
        LOG.infof("Broker capabilities: %s", capabilities.describe());
        // What an operator declares on an external broker (docs/operations/running.md), from this build.
        LOG.infof("Queues this service reads: %s",
                String.join(", ", BrokerAddresses.declaredQueues(config, settings.addressPrefix().orElse(""))));
        if (incomplete(capabilities)) {
            // Until the broker answers, Errand works as on Artemis; once it does, as on what it is.
            // RabbitMQ's management plugin may also come up after its AMQP listener.
            vertx.setPeriodic(RETRY.toMillis(), timer -> vertx.executeBlocking(() -> {
                if (!incomplete(capabilities)) {
                    vertx.cancelTimer(timer);
                    return null;
                }
                BrokerCapabilities found = examine();
                if (found.known()) {
                    boolean changed = !found.equals(capabilities);
                    capabilities = found;
                    if (changed) {
                        LOG.infof("Broker capabilities, now that it answers: %s", found.describe());
                    }
                    if (!incomplete(found)) {
                        vertx.cancelTimer(timer);
                    }
                }
                return null;
            }));
        }
    }

    /** Not asked yet, or RabbitMQ whose configured management API did not answer. */
    private boolean incomplete(BrokerCapabilities found) {
        return !found.known() || !found.artemis() && !found.management() && settings.managementUrl().isPresent();
    }

    private BrokerCapabilities examine() {
        BrokerCapabilities found = ask();
        if (found.known() && !found.artemis()) {
            found = found.withManagement(RabbitManagement.configured(settings, config)
                    .map(this::reportOrdering).orElse(false));
        }
        return found;
    }

    /**
     * RabbitMQ has no message groups: a keyed queue keeps its order across instances only when it
     * is declared with a single active consumer, so that one instance at a time takes from it.
     * Says which queues are; false when the management API does not answer.
     */
    private boolean reportOrdering(RabbitManagement management) {
        try {
            management.check();
        } catch (Exception e) {
            // Said once; the probe keeps asking every few seconds and says when it answers.
            if (!managementWarned) {
                managementWarned = true;
                LOG.warnf("RabbitMQ management at %s did not answer (%s): no queue depths, backpressure admits"
                        + " until it does", settings.managementUrl().orElseThrow(), e.toString());
            }
            return false;
        }
        String prefix = settings.addressPrefix().orElse("");
        String deadLetterQueue = BrokerAddresses.queueName(prefix, deadLetterAddress);
        for (String address : BrokerAddresses.consumed(config)) {
            String queue = BrokerAddresses.queueName(prefix, address);
            if (queue.equals(deadLetterQueue)) {
                continue; // dead letters carry no order to keep
            }
            try {
                boolean single = Boolean.TRUE.equals(management.arguments(queue).getValue("x-single-active-consumer"));
                LOG.infof("Queue %s: %s", queue, single
                        ? "single active consumer, per-key order holds across instances"
                        : "per-key order holds within one instance (declare x-single-active-consumer to keep it across instances)");
            } catch (Exception e) {
                LOG.warnf("Queue %s could not be read from RabbitMQ management: %s", queue, e.getMessage());
            }
        }
        return true;
    }

    public BrokerCapabilities capabilities() {
        return capabilities;
    }

    private BrokerCapabilities ask() {
        AmqpClient client = AmqpClient.create(vertx, BrokerClients.options(config));
        try {
            AmqpConnection connection = client.connect().toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            BrokerCapabilities found = BrokerCapabilities.from(connection.unwrap().getRemoteProperties(),
                    connection.unwrap().getRemoteOfferedCapabilities());
            connection.close();
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BrokerCapabilities.unknown();
        } catch (Exception e) {
            LOG.debugf(e, "Could not ask the broker for its capabilities");
            return BrokerCapabilities.unknown();
        } finally {
            client.close();
        }
    }
}
