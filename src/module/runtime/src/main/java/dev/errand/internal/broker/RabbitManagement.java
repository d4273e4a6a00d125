package dev.errand.internal.broker;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;

import org.eclipse.microprofile.config.Config;

import io.vertx.core.json.JsonObject;

/**
 * RabbitMQ's management plugin, read over its HTTP API ({@code GET /api/queues/<vhost>/<queue>}).
 * The AMQP 1.0 plugin has no management address of its own, so this is the only way to learn a
 * queue's depth.
 * <p>
 * The plugin refreshes its figures every {@code collect_statistics_interval} (5 s by default;
 * {@code bench/rabbitmq/start.sh} sets 1 s), so a depth can be that old: backpressure on RabbitMQ
 * reacts that much later, and a queue's first figures appear only after one interval.
 */
public final class RabbitManagement implements BrokerManagement {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Before this (1973 in milliseconds) a head timestamp is taken to be in seconds, as AMQP 0-9-1 sends it. */
    private static final long SECONDS_BEFORE = 100_000_000_000L;

    private final URI base;
    private final String vhost;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public RabbitManagement(URI base, String vhost, String username, String password) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.vhost = vhost;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** From {@code errand.broker.management-url}, with the AMQP user; empty when it is not set. */
    public static java.util.Optional<RabbitManagement> configured(BrokerConfig broker, Config config) {
        return broker.managementUrl().map(url -> new RabbitManagement(url, broker.vhost(),
                config.getOptionalValue("amqp-username", String.class).orElse(""),
                config.getOptionalValue("amqp-password", String.class).orElse("")));
    }

    /** Whether the API answers these credentials: for the start-up line. */
    public void check() throws Exception {
        get("api/whoami");
    }

    @Override
    public long depth(String queue) throws Exception {
        return messages(queue(queue), queue);
    }

    @Override
    public QueueState state(String queue) throws Exception {
        JsonObject found = queue(queue);
        long depth = messages(found, queue);
        JsonObject stats = found.getJsonObject("message_stats", new JsonObject());
        return new QueueState(depth, found.getLong("messages_unacknowledged", 0L), 0, oldestAge(found),
                counter(stats, "publish"), counter(stats, "ack"));
    }

    /** The queue's arguments as declared ({@code x-single-active-consumer}, {@code x-max-priority}...). */
    public JsonObject arguments(String queue) throws Exception {
        return queue(queue).getJsonObject("arguments", new JsonObject());
    }

    private JsonObject queue(String queue) throws Exception {
        return get("api/queues/" + encode(vhost) + "/" + encode(queue));
    }

    private static long messages(JsonObject queue, String name) throws Refused {
        Long messages = queue.getLong("messages");
        if (messages == null) {
            // Declared, but the plugin has not collected its figures yet.
            throw new Refused("no figures yet for " + name);
        }
        return messages;
    }

    private static OptionalLong oldestAge(JsonObject queue) {
        Long head = queue.getLong("head_message_timestamp");
        if (head == null || head <= 0) {
            return OptionalLong.empty();
        }
        long millis = head < SECONDS_BEFORE ? head * 1000 : head;
        return OptionalLong.of(Math.max(0, System.currentTimeMillis() - millis));
    }

    private static OptionalLong counter(JsonObject stats, String name) {
        Long value = stats.getLong(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private JsonObject get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", authorization).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return switch (response.statusCode()) {
            case 200 -> new JsonObject(response.body());
            case 404 -> throw new Refused("not found: " + path);
            // Wrong credentials or no monitoring tag: every question would fail the same way.
            case 401, 403 -> throw new IOException("RabbitMQ management refused the user (HTTP "
                    + response.statusCode() + "): it needs the monitoring tag");
            default -> throw new IOException("RabbitMQ management answered HTTP " + response.statusCode());
        };
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        // HttpClient has nothing to close before Java 21.
    }
}
