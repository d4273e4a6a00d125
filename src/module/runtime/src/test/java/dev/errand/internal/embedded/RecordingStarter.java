package dev.errand.internal.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigSourceContext;

/**
 * Stands in for errand-embedded's starter in {@link EmbeddedServersSourceTest}, which tests what is started
 * when, not the servers (errand-embedded's own tests start real ones): it records each start and answers
 * with the settings the real one gives.
 */
public class RecordingStarter implements EmbeddedStarter {

    record Start(boolean broker, boolean database) {
    }

    static final List<Start> STARTS = new ArrayList<>();

    @Override
    public Map<String, String> start(ConfigSourceContext settings, boolean needBroker, boolean needDatabase,
            boolean forTests) {
        STARTS.add(new Start(needBroker, needDatabase));
        Map<String, String> started = new LinkedHashMap<>();
        if (needBroker) {
            started.put("amqp-host", "127.0.0.1");
            started.put("amqp-port", "40001");
            started.put("amqp-username", "errand");
            started.put("amqp-password", "generated");
            started.put("errand.broker.sender-role", "errand-sender");
        }
        if (needDatabase) {
            started.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:40002/postgres");
            started.put("quarkus.datasource.password", "generated");
        }
        return started;
    }
}
