package dev.errand;

/**
 * The roles Errand's endpoints ask for. A user holds each role it needs: {@code admin} does not
 * imply the others, so an administrator is usually given all three.
 */
public final class Roles {

    /** Reads the dashboard, queues, consumers, campaigns and dead letters. */
    public static final String VIEWER = "viewer";
    /** Posts work that the application does not open to everyone, such as a campaign upload. */
    public static final String PRODUCER = "producer";
    /** Replays and deletes dead letters and changes the simulator. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
