package dev.errand;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;

/**
 * Starts what is missing, then Quarkus: with no broker configured ({@code amqp-host}) or no
 * datasource ({@code quarkus.datasource.jdbc.url}), the embedded servers of this build. This runs
 * before Quarkus because the datasource and the connector read their addresses while the
 * application boots. Call it from the application's {@code @QuarkusMain}.
 */
public final class ErrandLauncher {

    private static final Logger LOG = Logger.getLogger(ErrandLauncher.class);

    private ErrandLauncher() {
    }

    public static void run(String... args) throws Exception {
        Config config = ConfigProvider.getConfig();
        boolean needBroker = config.getOptionalValue("amqp-host", String.class).isEmpty();
        boolean needDatabase = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).isEmpty();
        if (!needBroker && config.getOptionalValue("amqp-username", String.class).isEmpty()) {
            // Brokers that accept anonymous producers let anyone enqueue work; refuse to be one of their clients.
            throw new IllegalStateException("amqp-host is set but amqp-username and amqp-password are not:"
                    + " Errand connects to a broker with credentials only");
        }
        if (!needBroker && !needDatabase) {
            LOG.info("Broker and datasource are configured: starting nothing embedded");
            Quarkus.run(args);
            return;
        }
        embeddedStarter().startThenRun(config, needBroker, needDatabase, args);
    }

    private static EmbeddedStarter embeddedStarter() {
        try {
            Iterator<EmbeddedStarter> found = ServiceLoader.load(EmbeddedStarter.class).iterator();
            if (found.hasNext()) {
                return found.next();
            }
        } catch (ServiceConfigurationError listedButLeftOut) {
            // Falls through: the service file survived a build that left the embedded classes out.
        }
        throw new IllegalStateException("This build has no embedded servers (a native worker):"
                + " configure amqp-host, amqp-username, amqp-password and quarkus.datasource.jdbc.url");
    }
}
