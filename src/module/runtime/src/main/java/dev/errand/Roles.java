package dev.errand;

/**
 * The roles Errand's endpoints ask for, for a service's own endpoints too ({@code @RolesAllowed(Roles.PRODUCER)}),
 * so that one set of users serves both. A user holds each role it needs: {@code admin} does not imply
 * the others, so an administrator is usually given all three.
 */
public final class Roles {

    /** Reads: Errand's dashboard, queues, consumers and dead letters. */
    public static final String VIEWER = "viewer";
    /** Posts work that a service does not open to everyone (the demo's campaign upload). */
    public static final String PRODUCER = "producer";
    /** Changes things: replays and discards dead letters, pauses and resumes consumers. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
