package dev.errand.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Files the embedded servers make after they started (the broker's large messages, a new journal
 * or paging folder) and whatever a failed start leaves behind grant nothing to group or others.
 * Own folders and servers: the shared test servers are not touched.
 */
class FileModesTest {

    /** What a private file grants nobody; EmbeddedAmqpsTest checks its certificate files by it too. */
    static final Set<PosixFilePermission> GROUP_AND_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Test
    void aLargeMessageTheBrokerStoresWhileRunningIsPrivateToItsOwner() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-large-message-");
        EmbeddedSettings settings = EmbeddedSettings.forTests(dataDir, List.of("errand.file-modes"));
        try (EmbeddedServers servers = EmbeddedServers.start(settings, true, false)) {
            int port = Integer.parseInt(servers.connectionProperties().get("amqp-port"));
            // Above Artemis' 100 KiB threshold: stored as a file of its own in large-messages/.
            sendDurably(port, settings.brokerUser(), "errand.file-modes", "x".repeat(300 * 1024));
            Path largeMessages = dataDir.resolve("broker/large-messages");
            await().atMost(Duration.ofSeconds(10)).until(() -> !files(largeMessages).isEmpty());
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(), openTo(dataDir)));
        }
    }

    @Test
    void filesAndFoldersMadeUnderTheBrokerFolderWhileRunningArePrivate() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-new-files-");
        try (EmbeddedServers servers = EmbeddedServers.start(EmbeddedSettings.forTests(dataDir, List.of()), true, false)) {
            // What Artemis does when it pages an address or rolls its journal, with the JVM's umask (022).
            Path paging = Files.createDirectories(dataDir.resolve("broker/paging/some-address"));
            Files.writeString(paging.resolve("000000001.page"), "page");
            Files.writeString(dataDir.resolve("broker/journal/activemq-data-99.amq"), "journal");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(), openTo(dataDir)));
        }
    }

    @Test
    void aFailedDatabaseStartLeavesNothingOpenToOtherUsers() throws Exception {
        Path dataDir = Files.createTempDirectory("errand-failed-start-");
        // zonky unpacks its binaries once per JVM (another test here already did), so the folder is
        // seeded the way an earlier failed start left it: a folder 0722 and an executable 0755.
        Path unpacked = Files.createDirectories(dataDir.resolve("postgres-binaries/bin"));
        Files.writeString(unpacked.resolve("postgres"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(unpacked.resolve("postgres"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(unpacked, PosixFilePermissions.fromString("rwx-w--w-"));
        // initdb refuses a folder that is not empty, and this one has a (private) file in it.
        Path postgres = Files.createDirectories(dataDir.resolve("postgres"));
        Files.createFile(postgres.resolve("not-a-database"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertThrows(Exception.class,
                () -> EmbeddedServers.start(EmbeddedSettings.forTests(dataDir, List.of()), false, true).close());
        assertEquals(List.of(), openTo(dataDir));
    }

    private static void sendDurably(int port, BrokerUser user, String address, String body) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AmqpClient client = AmqpClient.create(vertx, new AmqpClientOptions().setHost("127.0.0.1").setPort(port)
                    .setUsername(user.username()).setPassword(user.password()));
            AmqpConnection connection = result(client.connect());
            AmqpSender sender = result(connection.createSender(address));
            result(sender.sendWithAck(AmqpMessage.create().durable(true).withBody(body).build()));
            result(connection.close());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static <T> T result(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static List<Path> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    /** The first ten paths under the folder that grant any permission to group or others, as "mode path". */
    private static List<String> openTo(Path dataDir) throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            return paths.filter(path -> !Files.isSymbolicLink(path)).filter(path -> {
                try {
                    return Files.getPosixFilePermissions(path).stream().anyMatch(GROUP_AND_OTHERS::contains);
                } catch (IOException goneMeanwhile) {
                    return false;
                }
            }).map(path -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path))
                            + " " + dataDir.relativize(path);
                } catch (IOException goneMeanwhile) {
                    return "? " + dataDir.relativize(path);
                }
            }).limit(10).toList();
        }
    }
}
