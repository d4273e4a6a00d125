package dev.errand.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.errand.Roles;

/**
 * Passwords for a service that runs on its embedded servers: the broker's (the service's own user
 * and the outside senders'), the database superuser's and those of the demo's HTTP users, generated at the first start and kept in {@code <data-dir>/credentials.properties}
 * (readable by its owner only), so that nothing secret sits in the repository and a restart keeps
 * them.
 */
public final class LocalCredentials {

    public static final String FILE = "credentials.properties";
    public static final String BROKER_USER = "errand";
    /** The least-privileged broker user, for outside senders: send to work queues and events only. */
    public static final String SENDER_USER = "errand-sender";
    private static final String DATABASE_PASSWORD = "database.postgres.password";
    private static final String KEY_STORE_PASSWORD = "amqps.key-store.password";
    /** The realm name of Quarkus' embedded users, part of their password digests. */
    static final String REALM = "Quarkus";

    /** Demo users and their roles: an administrator, a producer of work and a read-only viewer. */
    static final Map<String, List<String>> DEMO_USERS = demoUsers();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Properties values;

    private LocalCredentials(Path file, Properties values) {
        this.file = file;
        this.values = values;
    }

    public static LocalCredentials loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(reader);
            }
        }
        boolean added = putIfAbsent(values, "amqp." + BROKER_USER + ".password");
        added |= putIfAbsent(values, "amqp." + SENDER_USER + ".password");
        added |= putIfAbsent(values, DATABASE_PASSWORD);
        for (String user : DEMO_USERS.keySet()) {
            added |= putIfAbsent(values, "http." + user + ".password");
        }
        if (added) {
            write(file, values);
        }
        return new LocalCredentials(file, values);
    }

    public Path file() {
        return file;
    }

    public BrokerUser brokerUser() {
        return new BrokerUser(BROKER_USER, values.getProperty("amqp." + BROKER_USER + ".password"));
    }

    public BrokerUser senderUser() {
        return new BrokerUser(SENDER_USER, values.getProperty("amqp." + SENDER_USER + ".password"));
    }

    public String databasePassword() {
        return values.getProperty(DATABASE_PASSWORD);
    }

    /**
     * The password of the embedded broker's key store ({@code errand.embedded.amqps-port}), made and kept
     * the first time it is asked for: a service without AMQPS has none.
     */
    public String keyStorePassword() throws IOException {
        if (putIfAbsent(values, KEY_STORE_PASSWORD)) {
            write(file, values);
        }
        return values.getProperty(KEY_STORE_PASSWORD);
    }

    /**
     * Quarkus settings declaring the demo users with digests of their passwords, never the passwords,
     * and the digest those are: Quarkus' own default is MD5. The realm itself must be switched on when
     * the service is built ({@code quarkus.security.users.embedded.enabled=true}, with
     * {@code quarkus-elytron-security-properties-file}); these are read when it starts.
     */
    public Map<String, String> httpUserProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.security.users.embedded.plain-text", "false");
        properties.put("quarkus.security.users.embedded.algorithm", "digest-sha-256");
        DEMO_USERS.forEach((user, roles) -> {
            properties.put("quarkus.security.users.embedded.users." + user,
                    digest(user, values.getProperty("http." + user + ".password")));
            properties.put("quarkus.security.users.embedded.roles." + user, String.join(",", roles));
        });
        return properties;
    }

    /** {@code HEX(SHA-256(user ":" realm ":" password))}, the form Quarkus' embedded realm checks. */
    public static String digest(String user, String password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(
                    sha256.digest((user + ":" + REALM + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /** A fresh random password: 144 bits, URL-safe, so it can sit in a URL or a shell variable. */
    public static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean putIfAbsent(Properties values, String key) {
        if (values.getProperty(key, "").isBlank()) {
            values.setProperty(key, randomPassword());
            return true;
        }
        return false;
    }

    private static void write(Path file, Properties values) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the folder's own permissions are all there is.
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            values.store(writer, "Generated by Errand for its embedded broker and demo users; keep private");
        }
    }

    private static Map<String, List<String>> demoUsers() {
        Map<String, List<String>> users = new LinkedHashMap<>();
        users.put("admin", List.of(Roles.ADMIN, Roles.PRODUCER, Roles.VIEWER));
        users.put("producer", List.of(Roles.PRODUCER, Roles.VIEWER));
        users.put("viewer", List.of(Roles.VIEWER));
        return Collections.unmodifiableMap(users);
    }
}
