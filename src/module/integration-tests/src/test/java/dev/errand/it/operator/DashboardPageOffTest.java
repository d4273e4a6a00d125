package dev.errand.it.operator;

import static dev.errand.testing.Users.asViewer;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Without {@code errand.dashboard.path}, a library adds no page to its host: only the dashboard's data. */
@QuarkusTest
class DashboardPageOffTest {

    @Test
    void noPathIsServedUnlessTheServiceAsks() {
        asViewer().get("/errand/ui").then().statusCode(404);
        asViewer().get("/index.html").then().statusCode(404);
        asViewer().get("/dashboard.js").then().statusCode(404);
        asViewer().get("/errand/dashboard").then().statusCode(200);
    }
}
