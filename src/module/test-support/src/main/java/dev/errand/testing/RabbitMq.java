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
 * through its management HTTP API and {@code rabbitmqctl}. {@link Broker} uses it on that run.
 */
public final class RabbitMq {

    /** The system property the Maven profile sets; tests only for RabbitMQ are enabled by it. */
    public static final String SELECTED = "test-broker";

    private RabbitMq() {
    }

    /** Whether this run's broker is RabbitMQ ({@code -Pbroker-rabbitmq}). */
    public static boolean selected() {
        return "rabbitmq".equals(System.getProperty(SELECTED));
    }

    /** Consumers attached to the queue, as the management API last collected them. */
    public static long consumers(String queue) {
        String body = call("GET", "/api/queues/%2F/" + queue, HttpResponse.BodyHandlers.ofString()).body();
        return new io.vertx.core.json.JsonObject(body).getLong("consumers", 0L);
    }

    /** Messages delivered to consumers and not yet settled, as the management API last collected them. */
    public static long unacknowledged(String queue) {
        String body = call("GET", "/api/queues/%2F/" + queue, HttpResponse.BodyHandlers.ofString()).body();
        return new io.vertx.core.json.JsonObject(body).getLong("messages_unacknowledged", 0L);
    }

    /** Messages on the queue, ready and unacknowledged, as the management API last collected them. */
    public static long depth(String queue) {
        String body = call("GET", "/api/queues/%2F/" + queue, HttpResponse.BodyHandlers.ofString()).body();
        Long messages = new io.vertx.core.json.JsonObject(body).getLong("messages");
        if (messages == null) {
            throw new IllegalStateException("RabbitMQ has no figures for " + queue + " yet");
        }
        return messages;
    }

    /**
     * Takes the broker down for clients: no new connection is accepted, and every open one is closed
     * (its management API goes down with it, as Artemis' does with its acceptor).
     */
    public static void stopListeners() {
        rabbitmqctl("suspend_listeners");
        rabbitmqctl("close_all_connections", "test: broker down");
    }

    public static void startListeners() {
        rabbitmqctl("resume_listeners");
    }

    /**
     * RabbitMQ cannot pause a queue's deliveries: the queue's consumer in this service is paused
     * instead, as an operator would ({@code POST /errand/consumers/<channel>/pause}), so that
     * messages stay on the queue, held unsettled or not yet delivered, and count in its depth.
     */
    public static void pauseConsumer(String queue, boolean pause) {
        Config config = ConfigProvider.getConfig();
        String channel = null;
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".address")
                    && config.getValue(name, String.class).endsWith("/" + queue)) {
                channel = name.substring("mp.messaging.incoming.".length(), name.length() - ".address".length());
            }
        }
        if (channel == null) {
            throw new IllegalStateException("No consumer of " + queue);
        }
        Users.asAdmin().post("/errand/consumers/{channel}/" + (pause ? "pause" : "resume"), channel)
                .then().statusCode(200);
    }

    private static void rabbitmqctl(String... arguments) {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("rabbitmqctl", "-q", "-n",
                System.getProperty("test-rabbitmq-node", "errand@localhost")));
        command.addAll(java.util.List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    /** Throws away every message on the queue. */
    public static void purge(String queue) {
        call("DELETE", "/api/queues/%2F/" + queue + "/contents", HttpResponse.BodyHandlers.discarding());
    }

    /**
     * The same before the application's configuration exists: the test resource empties every queue
     * at start, so that messages an earlier run left behind (the broker outlives it) meet no test.
     */
    static void purge(String managementUrl, String username, String password, String queue) {
        call(managementUrl, username, password, "DELETE", "/api/queues/%2F/" + queue + "/contents",
                HttpResponse.BodyHandlers.discarding());
    }

    private static <T> HttpResponse<T> call(String method, String path, HttpResponse.BodyHandler<T> body) {
        Config config = ConfigProvider.getConfig();
        return call(config.getValue("errand.broker.management-url", String.class),
                config.getValue("amqp-username", String.class), config.getValue("amqp-password", String.class), method,
                path, body);
    }

    private static <T> HttpResponse<T> call(String managementUrl, String username, String password, String method,
            String path, HttpResponse.BodyHandler<T> body) {
        String credentials = username + ":" + password;
        try {
            HttpResponse<T> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create(managementUrl + path))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), body);
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " answered HTTP " + response.statusCode());
            }
            return response;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Could not " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + method + " " + path, e);
        }
    }
}
