package dev.errand.internal.broker;

import org.eclipse.microprofile.config.Config;

import io.vertx.amqp.AmqpClientOptions;

/** The options of Errand's own AMQP clients (capability probe, management), from the connector's settings. */
public final class BrokerClients {

    private BrokerClients() {
    }

    public static AmqpClientOptions options(Config config) {
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.getOptionalValue("amqp-host", String.class).orElse("127.0.0.1"))
                .setPort(config.getOptionalValue("amqp-port", Integer.class).orElse(5672));
        config.getOptionalValue("amqp-username", String.class).filter(u -> !u.isBlank()).ifPresent(options::setUsername);
        config.getOptionalValue("amqp-password", String.class).filter(p -> !p.isBlank()).ifPresent(options::setPassword);
        return options;
    }
}
