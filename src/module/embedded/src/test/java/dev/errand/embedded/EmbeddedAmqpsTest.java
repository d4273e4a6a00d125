package dev.errand.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.smallrye.config.ConfigSourceContext;
import org.junit.jupiter.api.Test;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;

/**
 * {@code errand.embedded.amqps-port} outside tests, as the launcher reads it: the embedded broker speaks
 * AMQPS alone, with a self-signed certificate made in the data folder at the first start and kept, and
 * the service is pointed at it over TLS, trusting that certificate. Own folders and servers.
 */
class EmbeddedAmqpsTest {

    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = FileModesTest.GROUP_AND_OTHERS;

    @Test
    void withAnAmqpsPortTheServiceConnectsOverTlsAndThePlainPortIsClosed() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-amqps-");
        int plainPort = EmbeddedBroker.freePort();
        ConfigSourceContext config = config(dataDir, plainPort);
        EmbeddedSettings settings = EmbeddedLauncher.settings(config, LocalCredentials.loadOrCreate(dataDir));
        try (EmbeddedServers servers = EmbeddedServers.start(settings, true, false)) {
            Map<String, String> service = servers.connectionProperties();
            String tlsName = service.get("errand.broker.tls-configuration-name");
            assertEquals(EmbeddedServers.BROKER_TLS_CONFIGURATION, tlsName);
            Path trusted = Path.of(service.get("quarkus.tls." + tlsName + ".trust-store.pem.certs"));
            assertEquals(dataDir.resolve("tls/broker.crt").toAbsolutePath(), trusted);
            int port = Integer.parseInt(service.get("amqp-port"));

            // What the service does with those settings: TLS, the certificate checked against the file
            // and the host name against it.
            sendOne(new AmqpClientOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                    .setHostnameVerificationAlgorithm("HTTPS")
                    .setPemTrustOptions(new PemTrustOptions().addCertPath(trusted.toString())), settings.brokerUser());
            // No clear text: not on the AMQPS port, and nothing listens on the plain one.
            assertThrows(Exception.class, () -> sendOne(
                    new AmqpClientOptions().setHost("127.0.0.1").setPort(port), settings.brokerUser()));
            assertThrows(ConnectException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", plainPort), 2000);
                }
            });
        }
    }

    @Test
    void theCertificateIsMadeAtTheFirstStartKeptAtTheNextAndReadableByItsOwnerOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-amqps-kept-");
        ConfigSourceContext config = config(dataDir, 0);
        EmbeddedSettings first = EmbeddedLauncher.settings(config, LocalCredentials.loadOrCreate(dataDir));
        byte[] made = Files.readAllBytes(first.tls().certificate().certificate());

        EmbeddedSettings second = EmbeddedLauncher.settings(config, LocalCredentials.loadOrCreate(dataDir));

        assertArrayEquals(made, Files.readAllBytes(second.tls().certificate().certificate()));
        assertEquals(first.tls().password(), second.tls().password());
        assertEquals(List.of(), openTo(dataDir.resolve("tls")));
    }

    private static List<Path> openTo(Path folder) throws IOException {
        List<Path> open = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.toList()) {
                if (Files.getPosixFilePermissions(file).stream().anyMatch(GROUP_AND_OTHERS::contains)) {
                    open.add(file);
                }
            }
        }
        return open;
    }

    private static ConfigSourceContext config(Path dataDir, int plainPort) {
        return Settings.of(Map.of(
                "errand.data-dir", dataDir.toString(),
                "errand.embedded.amqp-port", Integer.toString(plainPort),
                "errand.embedded.amqps-port", "0"));
    }

    private static void sendOne(AmqpClientOptions options, BrokerUser user) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AmqpConnection connection = result(AmqpClient.create(vertx,
                    options.setUsername(user.username()).setPassword(user.password())).connect());
            result(result(connection.createSender("errand.amqps-check"))
                    .sendWithAck(AmqpMessage.create().durable(true).withBody("over tls").build()));
            result(connection.close());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
