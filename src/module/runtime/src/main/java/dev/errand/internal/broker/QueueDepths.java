package dev.errand.internal.broker;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.vertx.core.Vertx;

/**
 * Reads queues from the broker itself: Artemis over AMQP, RabbitMQ through its management HTTP API
 * (see {@link BrokerManagement}). Queues are named plainly or by their configured address; the
 * broker's address form is taken off.
 * <p>
 * When the broker cannot be reached, callers get an empty answer at once for
 * {@value #UNREACHABLE_BACKOFF_SECONDS} s instead of each waiting out the timeout. A broker without
 * management (RabbitMQ without {@code errand.broker.management-url}) always answers empty.
 */
@ApplicationScoped
public class QueueDepths {

    private static final Logger LOG = Logger.getLogger(QueueDepths.class);
    static final long UNREACHABLE_BACKOFF_SECONDS = 5;

    /** What answers one question: the depth alone for backpressure, everything for metrics. */
    private interface Question<T> {
        T ask(BrokerManagement management, String queue) throws Exception;
    }

    private final Vertx vertx;
    private final Config config;
    private final BrokerConfig settings;
    private final BrokerProbe broker;
    private volatile long unreachableUntilNanos;
    private BrokerManagement management;

    public QueueDepths(Vertx vertx, Config config, BrokerConfig settings, BrokerProbe broker) {
        this.vertx = vertx;
        this.config = config;
        this.settings = settings;
        this.broker = broker;
    }

    /** The queue's depth (waiting, in delivery and scheduled), or empty when the broker could not be asked. */
    public OptionalLong depth(String queue) {
        return ask(queue, BrokerManagement::depth).map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /** Everything the broker says of the queue, or empty when it could not be asked. */
    public Optional<QueueState> state(String queue) {
        return ask(queue, BrokerManagement::state);
    }

    private <T> Optional<T> ask(String queue, Question<T> question) {
        BrokerManagement asked = management();
        if (asked == null || System.nanoTime() < unreachableUntilNanos) {
            return Optional.empty();
        }
        String name = BrokerAddresses.queueName(settings.addressPrefix().orElse(""), queue);
        try {
            return Optional.of(question.ask(asked, name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (BrokerManagement.Refused refused) {
            // The broker answered: it is reachable, only this question was refused.
            LOG.debugf("The broker refused a question about %s: %s", name, refused.getMessage());
            return Optional.empty();
        } catch (Exception e) {
            LOG.debugf("Could not read %s: %s", name, e.toString());
            unreachableUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(UNREACHABLE_BACKOFF_SECONDS);
            // Artemis' next question opens a new connection; an HTTP client has none to drop.
            asked.close();
            return Optional.empty();
        }
    }

    private synchronized BrokerManagement management() {
        if (management == null) {
            BrokerCapabilities capabilities = broker.capabilities();
            if (!capabilities.management()) {
                return null;
            }
            management = capabilities.artemis() ? new ArtemisManagement(vertx, config)
                    : RabbitManagement.configured(settings, config).orElse(null);
        }
        return management;
    }

    /**
     * How old a depth may be when read: zero for Artemis, which answers from the queue itself; for
     * RabbitMQ, whose API answers from its last statistics, twice their interval and two seconds more
     * (measured here: 1 to 2 s behind with a 1 s interval on an idle broker, more under load).
     */
    public java.time.Duration staleness() {
        BrokerCapabilities capabilities = broker.capabilities();
        return capabilities.artemis() || !capabilities.management() ? java.time.Duration.ZERO
                : settings.statisticsInterval().multipliedBy(2).plusSeconds(2);
    }

    /** Asks the broker again at the next read, even within the unreachable back-off. */
    public void retryNow() {
        unreachableUntilNanos = 0;
    }

    @PreDestroy
    synchronized void close() {
        if (management != null) {
            management.close();
        }
    }
}
