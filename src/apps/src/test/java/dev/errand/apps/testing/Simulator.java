package dev.errand.apps.testing;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asViewer;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Drives the promotions API simulator over its REST endpoints, as an operator would. */
public final class Simulator {

    private Simulator() {
    }

    public static void reset() {
        asAdmin().post("/simulator/promo/reset").then().statusCode(204);
    }

    public static void configure(Map<String, Object> settings) {
        asAdmin().contentType(ContentType.JSON).body(settings).put("/simulator/promo/config").then().statusCode(200);
    }

    public static JsonPath stats() {
        return asViewer().get("/simulator/promo/stats").then().statusCode(200).extract().jsonPath();
    }

    public static long stat(String name) {
        return stats().getLong(name);
    }
}
