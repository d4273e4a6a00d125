package example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Sends coupon grants to Errand over AMQP 1.0 with the Vert.x AMQP client, following
 * docs/reference/wire-contract.md. Arguments: campaign id, number of users, and optionally the broker's
 * password (else ERRAND_AMQP_PASSWORD, else ../../errand-data/credentials.properties).
 */
public final class SendGrants {

    private static final String QUEUE = "errand.coupon-grants";

    public static void main(String[] args) throws Exception {
        long campaign = Long.parseLong(args[0]);
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String password = args.length > 2 ? args[2] : password();
        // RabbitMQ, as the sender user: -Damqp.address=/exchange/errand.outside/errand.coupon-grants
        String address = System.getProperty("amqp.address", QUEUE);
        Vertx vertx = Vertx.vertx();
        try {
            AmqpConnection connection = await(AmqpClient.create(vertx, new AmqpClientOptions()
                    .setHost(System.getProperty("amqp.host", "127.0.0.1"))
                    .setPort(Integer.getInteger("amqp.port", 5672))
                    .setUsername("errand-sender").setPassword(password)).connect());
            AmqpSender sender = await(connection.createSender(address));
            List<Future<Void>> accepted = new ArrayList<>();
            for (int n = 0; n < users; n++) {
                String userId = String.format("java-user-%05d", n);
                accepted.add(sender.sendWithAck(AmqpMessage.create()
                        .id("coupon:" + campaign + ":" + userId)       // the idempotency key
                        .durable(true)
                        .subject("coupon.grant")
                        .correlationId("campaign:" + campaign)
                        .contentType("application/json; charset=utf-8")
                        .creationTime(System.currentTimeMillis())
                        .withBufferAsBody(Buffer.buffer(new JsonObject(Map.of(
                                "campaignId", campaign, "userId", userId, "amountCents", 1500)).encode()))
                        .build()));
            }
            await(Future.all(accepted));                             // every message stored by the broker
            System.out.println("{\"sent\": " + users + ", \"address\": \"" + address + "\"}");
            await(connection.close());
        } finally {
            vertx.close();
        }
    }

    private static String password() throws IOException {
        String fromEnvironment = System.getenv("ERRAND_AMQP_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        return Files.readAllLines(Path.of("../../errand-data/credentials.properties")).stream()
                .filter(line -> line.startsWith("amqp.errand-sender.password="))
                .map(line -> line.substring(line.indexOf('=') + 1).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException("no broker password"));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
