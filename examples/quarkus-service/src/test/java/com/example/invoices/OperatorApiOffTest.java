package com.example.invoices;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A service that does not want Errand's operator endpoints leaves them out. */
@QuarkusTest
@TestProfile(OperatorApiOffTest.WithoutOperatorApi.class)
class OperatorApiOffTest {

    public static class WithoutOperatorApi implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("errand.http.operator-api", "false");
        }
    }

    @Test
    void errandsOperatorEndpointsAreNotThere() {
        given().get("/errand/consumers").then().statusCode(404);
        given().get("/errand/dead-letters").then().statusCode(404);
        given().get("/errand/dashboard").then().statusCode(404);
    }
}
