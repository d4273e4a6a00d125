package dev.errand.internal.broker;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.amqp.AmqpClientOptions;

/**
 * Gives the AMQP connector's clients the TLS of {@code errand.broker.tls-configuration-name}, the same
 * as Errand's own clients get: one setting for every connection to the broker.
 */
@ApplicationScoped
public class BrokerTlsCustomizer implements ClientCustomizer<AmqpClientOptions> {

    private final Config config;

    public BrokerTlsCustomizer(Config config) {
        this.config = config;
    }

    @Override
    public AmqpClientOptions customize(String channel, Config channelConfig, AmqpClientOptions options) {
        return BrokerClients.withTls(options, config);
    }
}
