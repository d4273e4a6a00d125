package dev.errand.internal.embedded;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigBuilder;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Zero configuration, as Quarkus' Dev Services give it, in every launch mode: with {@code errand-embedded}
 * on the class path and no broker ({@code amqp-host}) or no datasource ({@code quarkus.datasource.jdbc.url})
 * configured, the embedded servers start while Quarkus builds its run-time configuration, and this
 * source points the service at them. Dev Services proper run only in dev and test mode, while a demo's
 * {@code java -jar} needs them too; and the datasource and the connector read their addresses at that
 * moment, so that nothing earlier (a {@code @QuarkusMain}) is needed.
 * <p>
 * The servers live as long as the JVM: dev mode's live reloads and every test class of a run build the
 * configuration again and find them running. What they were started with is kept in system properties
 * under {@link #STARTED_PREFIX}, plain strings that survive class loaders being replaced at a reload, and
 * that no setting of the service reads.
 */
public class EmbeddedServersSource implements ConfigBuilder {

    static final String STARTED_PREFIX = "errand-embedded-started.";
    /**
     * Above application.properties (250), below the environment (300) and system properties (400): the
     * servers are started only for what the service left out, and then their own credentials and ports
     * must win over unprefixed ones written for production (an {@code amqp-password} beside a
     * {@code %prod.amqp-host}), which would not open them.
     */
    private static final int ORDINAL = 275;
    /** Credentials given to the connector directly count as credentials too. */
    static final String CONNECTOR_USERNAME = "mp.messaging.connector.smallrye-amqp.username";
    static final String BROKER_HOST = "amqp-host";
    static final String DATASOURCE_URL = "quarkus.datasource.jdbc.url";

    @Override
    public SmallRyeConfigBuilder configBuilder(SmallRyeConfigBuilder builder) {
        return builder.withSources(new ConfigSourceFactory() {
            @Override
            public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
                Map<String, String> settings = settings(context);
                return settings.isEmpty() ? List.of()
                        : List.of(new PropertiesConfigSource(settings, "Errand embedded servers", ORDINAL));
            }

            @Override
            public OptionalInt getPriority() {
                return OptionalInt.of(ORDINAL);
            }
        });
    }

    static synchronized Map<String, String> settings(ConfigSourceContext context) {
        boolean needBroker = !isSet(context, BROKER_HOST);
        boolean needDatabase = !isSet(context, DATASOURCE_URL);
        if (!needBroker && !isSet(context, "amqp-username") && !isSet(context, CONNECTOR_USERNAME)) {
            // Brokers that accept anonymous producers let anyone enqueue work; refuse to be one of their clients.
            throw new ConfigurationException("amqp-host is set but amqp-username and amqp-password are not:"
                    + " Errand connects to a broker with credentials only");
        }
        if (!needBroker && !needDatabase) {
            return Map.of();
        }
        Map<String, String> started = startedBefore();
        // What runs already is used again; what a later start needs and is not running yet (a test profile
        // without the broker the first one configured) is started now.
        boolean startBroker = needBroker && !started.containsKey(BROKER_HOST);
        boolean startDatabase = needDatabase && !started.containsKey(DATASOURCE_URL);
        if (startBroker || startDatabase) {
            EmbeddedStarter starter = embeddedStarter();
            if (starter == null) {
                // A build without the embedded servers: Quarkus reports the missing datasource itself.
                return Map.of();
            }
            if (!started.isEmpty() && LaunchMode.current() != LaunchMode.TEST) {
                // Outside tests the servers share errand.data-dir, locked by the ones already running.
                throw new ConfigurationException("The embedded " + (startBroker ? "broker" : "database")
                        + " is needed now (" + (startBroker ? BROKER_HOST : DATASOURCE_URL) + " is no longer set),"
                        + " but this process started only the embedded " + (startBroker ? "database" : "broker")
                        + ": restart it");
            }
            Map<String, String> more = start(starter, context, startBroker, startDatabase);
            more.forEach((name, value) -> System.setProperty(STARTED_PREFIX + name, value));
            started.putAll(more);
        }
        // Explicit settings win, also those added after the servers started (a dev-mode reload).
        Map<String, String> missing = new HashMap<>(started);
        if (!needBroker) {
            missing.keySet().removeIf(EmbeddedServersSource::isBrokerSetting);
        }
        if (!needDatabase) {
            missing.keySet().removeIf(name -> name.startsWith("quarkus.datasource."));
        }
        return missing;
    }

    private static boolean isBrokerSetting(String name) {
        return name.startsWith("amqp-") || name.startsWith("errand.broker.") || name.startsWith("quarkus.tls.");
    }

    private static Map<String, String> start(EmbeddedStarter starter, ConfigSourceContext context, boolean needBroker,
            boolean needDatabase) {
        try {
            return starter.start(context, needBroker, needDatabase, LaunchMode.current() == LaunchMode.TEST);
        } catch (Exception e) {
            String reason = "Errand could not start the embedded broker and database: " + e.getMessage()
                    + " (or configure amqp-host and quarkus.datasource.jdbc.url to use external ones)";
            printLastWhenTheJvmExits(reason);
            throw new ConfigurationException(reason, e);
        }
    }

    /**
     * The failure comes before Quarkus' logging is set up: its stack trace follows whatever the libraries
     * wrote while starting, in their own formats. {@code java -jar} then ends with the reason, alone.
     */
    private static void printLastWhenTheJvmExits(String reason) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(System.lineSeparator()
                    + "The service did not start. " + reason), "errand-embedded-failure"));
        }
    }

    private static Map<String, String> startedBefore() {
        Map<String, String> started = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(STARTED_PREFIX)) {
                started.put(name.substring(STARTED_PREFIX.length()), System.getProperty(name));
            }
        }
        return started;
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static EmbeddedStarter embeddedStarter() {
        try {
            // The context class loader: in dev mode it also sees a workspace's errand-embedded, which is reloadable.
            Iterator<EmbeddedStarter> found = ServiceLoader.load(EmbeddedStarter.class).iterator();
            if (found.hasNext()) {
                return found.next();
            }
        } catch (ServiceConfigurationError listedButLeftOut) {
            // Falls through: the service file survived a build that left the embedded classes out.
        }
        return null;
    }
}
