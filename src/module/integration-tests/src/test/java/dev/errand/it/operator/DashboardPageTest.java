package dev.errand.it.operator;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With {@code errand.dashboard.path} set, the service serves the dashboard page there, to viewers only. */
@QuarkusTest
@TestProfile(DashboardPageTest.ServedAtErrandUi.class)
class DashboardPageTest {

    public static class ServedAtErrandUi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("errand.dashboard.path", "/errand/ui");
        }
    }

    @Test
    void aViewerGetsThePageWhichFindsItsScriptAndStyleUnderThePath() {
        asViewer().get("/errand/ui").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<base href=\"/errand/ui/\">"))
                .body(containsString("<script src=\"dashboard.js\""));
        asViewer().get("/errand/ui/").then().statusCode(200).contentType(startsWith("text/html"));
        asViewer().get("/errand/ui/dashboard.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("/errand/dashboard"));
        asViewer().get("/errand/ui/dashboard.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void withoutCredentialsThePageAsksForThemAsTheOperatorApiDoes() {
        given().get("/errand/ui").then().statusCode(401);
        given().get("/errand/ui/dashboard.js").then().statusCode(401);
        given().get("/errand/dashboard").then().statusCode(401);
    }

    @Test
    void aUserWithoutTheViewerRoleIsRefused() {
        // The service's own endpoints' users: none lacks the viewer role here, so a wrong password stands in.
        given().auth().preemptive().basic("viewer", "not-the-password").get("/errand/ui").then().statusCode(401);
    }
}
