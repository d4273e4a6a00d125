package dev.errand.apps;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A client that retries with its Idempotency-Key gets the first answer and creates nothing twice,
 * even when its retries race the first request; the key with another body is a 422 problem.
 */
@QuarkusTest
class IdempotencyKeyTest {

    @Inject
    EntityManager em;

    @Test
    void theSameKeyAndBodyReturnTheFirstAnswerAndPlaceOneOrder() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> order = order("again@example.com");
        Response first = post("/orders", key, order);
        first.then().statusCode(202);
        Response second = post("/orders", key, order);
        second.then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", first.header("Location"))
                .body("orderId", equalTo(first.jsonPath().getInt("orderId")));
        assertEquals(1, orders("again@example.com"));
    }

    @Test
    void theSameKeyWithAnotherBodyIsA422Problem() {
        String key = UUID.randomUUID().toString();
        post("/orders", key, order("first@example.com")).then().statusCode(202);
        post("/orders", key, order("second@example.com")).then().statusCode(422)
                .contentType("application/problem+json").body("type", equalTo("/problems/idempotency-key-reused"));
        assertEquals(0, orders("second@example.com"));
    }

    @Test
    void anExpiredKeyIsANewRequestWhetherOrNotRetentionRemovedItYet() {
        String key = UUID.randomUUID().toString();
        post("/orders", key, order("expired-first@example.com")).then().statusCode(202);
        // Its time is up; the retention sweep has not come by yet.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update errand_idempotency_key set expires_at = now() - interval '1 second' where key = ?1")
                .setParameter(1, key).executeUpdate());

        post("/orders", key, order("expired-second@example.com")).then().statusCode(202)
                .header("Idempotent-Replayed", nullValue());
        assertEquals(1, orders("expired-second@example.com"));
    }

    @Test
    void retriesRacingTheFirstRequestStillPlaceOneOrder() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> order = order("race@example.com");
        List<CompletableFuture<Integer>> tries = IntStream.range(0, 6)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post("/orders", key, order).then().statusCode(202)
                        .extract().jsonPath().getInt("orderId")))
                .toList();
        List<Integer> ids = tries.stream().map(CompletableFuture::join).distinct().toList();
        assertEquals(1, ids.size(), "every try got the same order: " + ids);
        assertEquals(1, orders("race@example.com"));
    }

    @Test
    void withoutAKeyEachRequestIsNewAndSignupsHonourKeysToo() {
        Map<String, Object> order = order("nokey@example.com");
        int a = given().contentType(ContentType.JSON).body(order).post("/orders").then().statusCode(202).extract()
                .jsonPath().getInt("orderId");
        int b = given().contentType(ContentType.JSON).body(order).post("/orders").then().statusCode(202).extract()
                .jsonPath().getInt("orderId");
        assertNotEquals(a, b);

        String key = UUID.randomUUID().toString();
        Map<String, Object> signup = Map.of("email", "keyed-" + key + "@example.com", "name", "Keyed");
        long first = post("/signups", key, signup).then().statusCode(202).extract().jsonPath().getLong("accountId");
        post("/signups", key, signup).then().statusCode(202).body("accountId", equalTo((int) first));
    }

    @Test
    void aKeyWithAControlCharacterIsA400Problem() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "bad\tkey").body(order("tab@example.com"))
                .post("/orders").then().statusCode(400).contentType("application/problem+json");
    }

    private static Response post(String path, String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(path);
    }

    private static Map<String, Object> order(String email) {
        return Map.of("customerEmail", email, "lines", List.of(Map.of("sku", "MUG-01", "quantity", 1)));
    }

    private long orders(String email) {
        return Rows.count(em, "select count(*) from orders where customer_email = ?1", email);
    }
}
