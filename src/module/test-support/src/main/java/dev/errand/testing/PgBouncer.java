package dev.errand.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Debian's PgBouncer ({@code .ci/install-pgbouncer}) on loopback, in front of a test PostgreSQL: the
 * connection pooler that {@code k8s/overlays/prod} puts between the services and the database, run as
 * a process of the test. It listens on a free port until {@link #close()} or the JVM's exit.
 * <p>
 * PgBouncer refuses to run as root; as root (CI, this machine) it is started with {@code -u} as
 * Debian's {@code postgres} user (made by the package's dependency postgresql-common), or
 * {@code nobody}, and its folder, which holds the database password, is given to that user alone.
 */
public final class PgBouncer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/pgbouncer");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+).*");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path folder;
    private final int port;
    private final String database;
    private final String username;
    private final String password;

    private PgBouncer(Process process, Path folder, int port, String database, String username, String password) {
        this.process = process;
        this.folder = folder;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts PgBouncer in front of the database of {@code jdbcUrl} (as the test servers give it), for
     * {@code username} as client and, with the same password, towards the server; {@code settings} go
     * into its {@code [pgbouncer]} section (pool_mode, default_pool_size...).
     */
    public static PgBouncer inFrontOf(String jdbcUrl, String username, String password, Map<String, String> settings)
            throws IOException, InterruptedException {
        if (!installed()) {
            throw new IllegalStateException("Debian's pgbouncer is not installed (" + BINARY
                    + "): run .ci/install-pgbouncer");
        }
        Matcher url = JDBC_URL.matcher(jdbcUrl);
        if (!url.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL with host and port: " + jdbcUrl);
        }
        int port = freePort();
        Path folder = Files.createTempDirectory("errand-pgbouncer-");
        Map<String, String> ini = new LinkedHashMap<>();
        ini.put("listen_addr", "127.0.0.1");
        ini.put("listen_port", Integer.toString(port));
        ini.put("unix_socket_dir", "");
        ini.put("auth_type", "scram-sha-256");
        ini.put("auth_file", folder.resolve("userlist.txt").toString());
        ini.putAll(settings);
        StringBuilder config = new StringBuilder("[databases]\n")
                .append(url.group(3)).append(" = host=").append(url.group(1)).append(" port=").append(url.group(2))
                .append(" dbname=").append(url.group(3)).append('\n')
                .append("[pgbouncer]\n");
        ini.forEach((name, value) -> config.append(name).append(" = ").append(value).append('\n'));
        Files.writeString(folder.resolve("pgbouncer.ini"), config, StandardCharsets.UTF_8);
        // PgBouncer logs in to the server with the client's own SCRAM secret from here.
        Files.writeString(folder.resolve("userlist.txt"), quoted(username) + " " + quoted(password) + "\n",
                StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        String runAs = asRoot() ? handOver(folder) : null;
        if (runAs != null) {
            command.addAll(List.of("-u", runAs));
        }
        command.add(folder.resolve("pgbouncer.ini").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("pgbouncer.log").toFile()).start();
        PgBouncer bouncer = new PgBouncer(process, folder, port, url.group(3), username, password);
        Runtime.getRuntime().addShutdownHook(new Thread(bouncer::close, "errand-pgbouncer-stop"));
        bouncer.awaitListening();
        return bouncer;
    }

    /** The JDBC URL of the database through PgBouncer, with pgjdbc's {@code parameters} ("a=1&b=2") if any. */
    public String jdbcUrl(String parameters) {
        String base = "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        return parameters == null || parameters.isEmpty() ? base : base + "?" + parameters;
    }

    public int port() {
        return port;
    }

    /** The database's name, on PgBouncer as on the server. */
    public String database() {
        return database;
    }

    /** What PgBouncer logged so far: for a test's failure message. */
    public String log() {
        try {
            return Files.readString(folder.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(file -> file.toFile().delete());
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // A temporary folder left behind is the system's to clean up.
        }
    }

    private void awaitListening() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("pgbouncer did not listen on " + port + " within " + START_TIMEOUT + ":\n"
                + log());
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Gives the folder to the user PgBouncer runs as, private to it; returns that user's name. */
    private static String handOver(Path folder) throws IOException {
        var users = FileSystems.getDefault().getUserPrincipalLookupService();
        for (String name : List.of("postgres", "nobody")) {
            UserPrincipal user;
            try {
                user = users.lookupPrincipalByName(name);
            } catch (IOException unknown) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, user);
                }
            }
            Files.setOwner(folder, user);
            return name;
        }
        throw new IllegalStateException("PgBouncer does not run as root, and neither postgres nor nobody exists here");
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Runs a test class only where PgBouncer is installed, so that no Quarkus application starts for
     * nothing on a developer's machine without it; in CI ({@code CI} set) always, where its absence
     * then fails the test rather than skipping it silently.
     */
    public static final class InstalledOrCi implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (installed()) {
                return ConditionEvaluationResult.enabled("pgbouncer is installed");
            }
            if (System.getenv("CI") != null) {
                return ConditionEvaluationResult.enabled("CI: pgbouncer must be installed (.ci/install-pgbouncer)");
            }
            return ConditionEvaluationResult.disabled("Debian's pgbouncer is not installed here (" + BINARY
                    + "); run .ci/install-pgbouncer to run this test");
        }
    }
}
