package dev.errand.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Operates the RabbitMQ of {@code -Pbroker-rabbitmq} (bench/rabbitmq/start.sh) as an operator would,
 * through its management HTTP API.
 */
public final class RabbitMq {

    /** The system property the Maven profile sets; tests only for RabbitMQ are enabled by it. */
    public static final String SELECTED = "test-broker";

    private RabbitMq() {
    }

    /** Throws away every message on the queue. */
    public static void purge(String queue) {
        Config config = ConfigProvider.getConfig();
        purge(config.getValue("errand.broker.management-url", String.class),
                config.getValue("amqp-username", String.class), config.getValue("amqp-password", String.class), queue);
    }

    /**
     * The same before the application's configuration exists: the test resource empties every queue
     * at start, so that messages an earlier run left behind (the broker outlives it) meet no test.
     */
    static void purge(String managementUrl, String username, String password, String queue) {
        String credentials = username + ":" + password;
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(managementUrl + "/api/queues/%2F/" + queue + "/contents"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("Purging " + queue + " answered HTTP " + response.statusCode());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not purge " + queue, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while purging " + queue, e);
        }
    }
}
