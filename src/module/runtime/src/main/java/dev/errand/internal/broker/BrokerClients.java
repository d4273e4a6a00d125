package dev.errand.internal.broker;

import org.eclipse.microprofile.config.Config;

import io.quarkus.arc.Arc;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.amqp.AmqpClientOptions;

/**
 * The options of Errand's own AMQP clients (capability probe, management, sender), from the
 * connector's settings, and TLS for them and for the connector's own clients alike.
 */
public final class BrokerClients {

    /** {@code errand.broker.tls-configuration-name}, read here because not every caller is a bean. */
    static final String TLS_CONFIGURATION = "errand.broker.tls-configuration-name";

    private BrokerClients() {
    }

    public static AmqpClientOptions options(Config config) {
        AmqpClientOptions options = new AmqpClientOptions()
                .setHost(config.getOptionalValue("amqp-host", String.class).orElse("127.0.0.1"))
                .setPort(config.getOptionalValue("amqp-port", Integer.class).orElse(5672));
        config.getOptionalValue("amqp-username", String.class).filter(u -> !u.isBlank()).ifPresent(options::setUsername);
        config.getOptionalValue("amqp-password", String.class).filter(p -> !p.isBlank()).ifPresent(options::setPassword);
        return withTls(options, config);
    }

    /**
     * With {@code errand.broker.tls-configuration-name} set: AMQPS, trusting what that Quarkus TLS
     * configuration ({@code quarkus.tls.<name>.*}) trusts, presenting its key if it has one, and
     * checking that the broker's certificate names the host connected to, unless that configuration
     * says otherwise ({@code hostname-verification-algorithm=NONE}).
     */
    public static AmqpClientOptions withTls(AmqpClientOptions options, Config config) {
        String name = config.getOptionalValue(TLS_CONFIGURATION, String.class).orElse(null);
        if (name == null || name.isBlank()) {
            return options;
        }
        TlsConfiguration tls = Arc.container().select(TlsConfigurationRegistry.class).get().get(name)
                .orElseThrow(() -> new IllegalStateException(TLS_CONFIGURATION + " is '" + name
                        + "', but there is no quarkus.tls." + name + " configuration"));
        options.setSsl(true);
        if (tls.getTrustStoreOptions() != null) {
            options.setTrustOptions(tls.getTrustStoreOptions());
        }
        if (tls.getKeyStoreOptions() != null) {
            options.setKeyCertOptions(tls.getKeyStoreOptions());
        }
        options.setTrustAll(tls.isTrustAll());
        String algorithm = tls.getHostnameVerificationAlgorithm().orElse("HTTPS");
        options.setHostnameVerificationAlgorithm("NONE".equalsIgnoreCase(algorithm) ? "" : algorithm);
        return options;
    }
}
