package dev.errand.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.smallrye.config.ConfigSourceContext;
import org.junit.jupiter.api.Test;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiver;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * {@code errand.embedded.broker-memory}: the embedded broker keeps at most that many bytes of queued
 * messages in the heap, and pages the rest to disk, losing none. Own folders and broker.
 */
class BrokerMemoryTest {

    private static final String QUEUE = "errand.broker-memory-check";

    @Test
    void aBacklogLargerThanTheBrokersMemoryPagesToDiskAndEveryMessageStillArrives() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-broker-memory-");
        EmbeddedSettings settings = EmbeddedLauncher.settings(config(dataDir, Map.of("errand.embedded.broker-memory", "1M")),
                LocalCredentials.loadOrCreate(dataDir));
        // 1,000 messages of 4 KiB: 4 MiB of bodies against 1 MiB allowed in memory.
        int count = 1000;
        try (EmbeddedServers servers = EmbeddedServers.start(settings, true, false)) {
            int port = Integer.parseInt(servers.connectionProperties().get("amqp-port"));
            Vertx vertx = Vertx.vertx();
            try {
                AmqpConnection connection = result(AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1")
                        .setPort(port).setUsername(settings.brokerUser().username())
                        .setPassword(settings.brokerUser().password())).connect());
                AmqpSender sender = result(connection.createSender(QUEUE));
                byte[] body = new byte[4096];
                for (int i = 0; i < count; i++) {
                    result(sender.sendWithAck(AmqpMessage.create().durable(true).id(Integer.toString(i))
                            .withBufferAsBody(Buffer.buffer(body)).build()));
                }

                assertFalse(pageFiles(dataDir).isEmpty(), "no page files under " + dataDir.resolve("broker/paging"));

                List<String> received = new ArrayList<>();
                AmqpReceiver receiver = result(connection.createReceiver(QUEUE, new AmqpReceiverOptions().setDurable(true)));
                receiver.handler(message -> {
                    synchronized (received) {
                        received.add(message.id());
                    }
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    synchronized (received) {
                        return received.size() >= count;
                    }
                });
                synchronized (received) {
                    assertEquals(count, received.stream().distinct().count());
                    assertEquals(count, received.size());
                }
                result(connection.close());
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void unsetTheBrokerMayFillAnEighthOfTheHeap() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-broker-memory-default-");

        EmbeddedSettings settings = EmbeddedLauncher.settings(config(dataDir, Map.of()), LocalCredentials.loadOrCreate(dataDir));

        // -Xmx256m: 32 MiB.
        assertEquals(32L << 20, EmbeddedSettings.defaultBrokerMemory(256L << 20));
        assertEquals(Runtime.getRuntime().maxMemory() / 8, settings.brokerMemory());
    }

    @Test
    void aSizeWithAUnitIsReadAsBytes() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-broker-memory-unit-");

        EmbeddedSettings settings = EmbeddedLauncher.settings(config(dataDir, Map.of("errand.embedded.broker-memory", "48M")),
                LocalCredentials.loadOrCreate(dataDir));

        assertEquals(48L << 20, settings.brokerMemory());
    }

    @Test
    void aBrokerMemoryOfZeroFailsAtTheStartWithTheSettingsName() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-broker-memory-zero-");
        ConfigSourceContext config = config(dataDir, Map.of("errand.embedded.broker-memory", "0"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedLauncher.settings(config, LocalCredentials.loadOrCreate(dataDir)));
        assertTrue(refused.getMessage().contains("errand.embedded.broker-memory"), refused.getMessage());
    }

    private static List<Path> pageFiles(Path dataDir) throws Exception {
        Path paging = dataDir.resolve("broker/paging");
        if (!Files.isDirectory(paging)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(paging)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".page")).toList();
        }
    }

    private static ConfigSourceContext config(Path dataDir, Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(more);
        properties.put("errand.data-dir", dataDir.toString());
        properties.put("errand.embedded.amqp-port", "0");
        return Settings.of(properties);
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
