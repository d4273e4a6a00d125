package dev.errand.internal.handling;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;

import dev.errand.internal.handlers.HandlerCatalog;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start a service whose Errand settings name something that does not exist, so that a typo
 * shows at start-up and not as a consumer that silently keeps its defaults. The handlers' signatures
 * were checked when the service was built.
 */
@ApplicationScoped
public class StartupChecks {

    private final ConsumersConfig config;
    private final Config rawConfig;
    private final List<StartupProblems> features;

    @Inject
    StartupChecks(ConsumersConfig config, Config rawConfig, Instance<StartupProblems> features) {
        this(config, rawConfig, features.stream().toList());
    }

    StartupChecks(ConsumersConfig config, Config rawConfig, List<StartupProblems> features) {
        this.config = config;
        this.rawConfig = rawConfig;
        this.features = features;
    }

    // Before the consumers' first messages and Errand's other start-up work.
    void check(@Observes @Priority(1) StartupEvent startup) {
        List<String> problems = new ArrayList<>(problems());
        features.forEach(feature -> problems.addAll(feature.problems()));
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Errand cannot start:\n  - " + String.join("\n  - ", problems));
        }
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> consumers = knownConsumers();
        config.consumers().forEach((channel, settings) -> {
            if (!consumers.contains(channel)) {
                problems.add("errand.consumers.\"" + channel + "\" configures a consumer that does not exist: no"
                        + " @Incoming(\"" + channel + "\") handler and no mp.messaging.incoming." + channel
                        + " channel. Consumers of this service: " + consumers);
                return;
            }
            settings.circuitBreakers().orElse(List.of()).forEach(name -> {
                if (!HandlerCatalog.breakerNames().contains(name)) {
                    problems.add("errand.consumers.\"" + channel + "\".circuit-breakers names \"" + name
                            + "\", but no method has @CircuitBreakerName(\"" + name + "\"). Breakers of this service: "
                            + new TreeSet<>(HandlerCatalog.breakerNames()));
                }
            });
        });
        for (String channel : HandlerCatalog.handlerChannels()) {
            String address = rawConfig.getOptionalValue("mp.messaging.incoming." + channel + ".address", String.class)
                    .orElse("");
            if (address.isBlank()) {
                problems.add("The handler of channel \"" + channel + "\" has no queue: mp.messaging.incoming." + channel
                        + ".address is empty");
            }
        }
        return problems;
    }

    private Set<String> knownConsumers() {
        Set<String> known = new TreeSet<>(HandlerCatalog.handlerChannels());
        String prefix = "mp.messaging.incoming.";
        for (String name : rawConfig.getPropertyNames()) {
            if (name.startsWith(prefix) && name.endsWith(".connector")) {
                known.add(unquote(name.substring(prefix.length(), name.length() - ".connector".length())));
            }
        }
        return known;
    }

    private static String unquote(String key) {
        return key.length() > 1 && key.startsWith("\"") && key.endsWith("\"") ? key.substring(1, key.length() - 1) : key;
    }
}
