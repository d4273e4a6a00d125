package dev.errand.internal.embedded;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether the embedded PostgreSQL on a port is running, as its watchdog (dev.errand:errand-embedded)
 * last saw it, for the liveness check.
 * <p>
 * Kept in system properties, keyed by port: the embedded servers start while Quarkus builds its
 * configuration or in a test resource, whose class loader need not be the application's, while system
 * properties are one per JVM. A test JVM may run several embedded databases; each has its own port.
 *
 * @param downSince when the database was found dead, or null while it runs
 * @param lastError why the last restart failed, or null
 */
public record EmbeddedDatabaseState(Instant downSince, String lastError) {

    // Outside the "errand." prefix: Quarkus would refuse an unknown property under a root's prefix.
    private static final String PREFIX = "dev.errand.embedded-database-state.";

    public boolean up() {
        return downSince == null;
    }

    /** The database on this port runs. */
    public static void publishUp(int port) {
        System.setProperty(PREFIX + port, "up");
    }

    /** The database on this port has been dead since {@code since}; restarts are being tried. */
    public static void publishDown(int port, Instant since, String lastError) {
        System.setProperty(PREFIX + port, "down " + since.toEpochMilli() + (lastError == null ? "" : " " + lastError));
    }

    /** The database on this port was stopped on purpose: nothing to watch any more. */
    public static void forget(int port) {
        System.clearProperty(PREFIX + port);
    }

    /** The state of the embedded database on this port; empty when none runs there. */
    public static Optional<EmbeddedDatabaseState> of(int port) {
        String value = System.getProperty(PREFIX + port);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.startsWith("down ")) {
            return Optional.of(new EmbeddedDatabaseState(null, null));
        }
        String[] parts = value.split(" ", 3);
        return Optional.of(new EmbeddedDatabaseState(Instant.ofEpochMilli(Long.parseLong(parts[1])),
                parts.length > 2 ? parts[2] : null));
    }
}
