package dev.errand.core.broker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

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

    private final Vertx vertx;
    private final Config config;
    private volatile BrokerCapabilities capabilities = BrokerCapabilities.unknown();

    public BrokerProbe(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
    }

    // Before the messaging channels start (their observer runs at PLATFORM_BEFORE), so the first
    // message already goes the broker's way.
    void probe(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE - 100) StartupEvent startup) {
        capabilities = ask();
        LOG.infof("Broker capabilities: %s", capabilities.describe());
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
