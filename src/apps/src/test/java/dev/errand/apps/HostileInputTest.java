package dev.errand.apps;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * What a hostile client sends to the open JSON endpoints is refused with a 400 (or 413) problem and
 * stores nothing: bodies without a length, wrong JSON types, input Jackson would silently change, and
 * text PostgreSQL cannot store.
 */
@QuarkusTest
class HostileInputTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    EntityManager em;

    @Test
    void aChunkedJsonBodyIsCountedAsItArrivesAndRefusedAtTheLimit() throws Exception {
        // 20 MB of JSON with no Content-Length: refused once 64 KiB have been read, not buffered whole.
        long size = 20_000_000;
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            private final byte[] head = "{\"customerEmail\":\"a@example.com\",\"lines\":[".getBytes(StandardCharsets.UTF_8);

            @Override
            public int read() {
                long at = served.getAndIncrement();
                if (at >= size) {
                    return -1;
                }
                return at < head.length ? head[(int) at] : ' ';
            }
        };
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException closedEarly) {
            // The server may close the connection as soon as it has answered; then it read little.
            assertTrue(served.get() < size, "the whole body was read");
            return;
        }
        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("body-too-large"), response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":true}]}",
            "{\"customerEmail\":\"t@example.com\",\"lines\":\"MUG-01\"}",
            "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1.5}]}",
            "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":\"2\"}]}",
            "{\"customerEmail\":\"t@example.com\",\"customerEmail\":\"u@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1}]}",
            "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\\u0000\",\"quantity\":1}]}",
            "{\"customerEmail\":\"t\\ud800@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1}]}",
            "[]",
            "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1}]} {}" })
    void anOrderThatJsonWouldHaveToBendIsA400ProblemAndNothingIsStored(String body) {
        long before = orders();
        String problem = given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json").body("status", equalTo(400))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .extract().asString();
        assertFalse(problem.contains("dev.errand") || problem.contains("com.fasterxml"), problem);
        assertEquals(before, orders());
    }

    @Test
    void deeplyNestedJsonIsA400Problem() {
        String body = "[".repeat(5_000) + "]".repeat(5_000);
        given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aSignupNameWithANulIsA400ProblemThatSaysWhere() {
        given().contentType(ContentType.JSON).body("{\"email\":\"nul@example.com\",\"name\":\"a\\u0000b\"}")
                .post("/signups").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "page=abc", "status=BOGUS", "size=99999999999", "queue=%00" })
    void aDeadLetterQueryThatCannotBeReadIsA400Problem(String query) throws Exception {
        HttpResponse<String> response = raw("GET", "/errand/dead-letters?" + query);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // 2,147,483,647 × 50 overflows an int to -50, which the database refused with a 500.
            "page=2147483647",
            // 42,949,673 × 100 = 4,294,967,300, which overflows an int to 4: a real first page.
            "page=42949673&size=100" })
    void aDeadLetterPageBeyondTheLimitIsA400ProblemRatherThanAnOverflow(String query) throws Exception {
        HttpResponse<String> response = raw("GET", "/errand/dead-letters?" + query);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(response.body().contains("page"), response.body());
    }

    @Test
    void aVeryLongQueryIsA414Problem() throws Exception {
        HttpResponse<String> response = raw("GET", "/orders/1?x=" + "a".repeat(100_000));
        assertEquals(414, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "//orders", "/orders//987654321", "//errand//dead-letters/x" })
    void aPathWithEmptySegmentsIsAProblem(String path) throws Exception {
        HttpResponse<String> response = raw("GET", path);
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, response.statusCode() + " " + response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.statusCode() + " " + response.headers().map());
    }

    /** A request as a viewer, sent as it is written: RestAssured would encode or normalise it. */
    private HttpResponse<String> raw(String method, String pathAndQuery) throws Exception {
        String credentials = java.util.Base64.getEncoder().encodeToString(
                ("viewer:" + dev.errand.testing.Users.password("viewer")).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Authorization", "Basic " + credentials).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private long orders() {
        return ((Number) em.createNativeQuery("select count(*) from orders").getSingleResult()).longValue();
    }
}
