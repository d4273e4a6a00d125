package dev.errand.testing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * Requests made as the test users of {@code application.properties} ({@code %test} profile), whose
 * passwords are stored there as SHA-256 digests only.
 */
public final class Users {

    public static final String ADMIN = "admin";
    public static final String PRODUCER = "producer";
    public static final String VIEWER = "viewer";

    private Users() {
    }

    public static RequestSpecification asAdmin() {
        return as(ADMIN);
    }

    public static RequestSpecification asProducer() {
        return as(PRODUCER);
    }

    public static RequestSpecification asViewer() {
        return as(VIEWER);
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, password(user));
    }

    public static String password(String user) {
        return user + "-test";
    }
}
