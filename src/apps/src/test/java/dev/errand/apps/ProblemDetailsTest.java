package dev.errand.apps;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.errand.testing.Rows;
import dev.errand.testing.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What a problem says: the field or parameter that was wrong, in the client's terms, never a Java or
 * Jackson class; and requests that Vert.x refuses before JAX-RS sees them answer problem JSON too.
 */
@QuarkusTest
class ProblemDetailsTest {

    /** An upper camel case word of two humps or more, or a nested class: how Java names its types. */
    private static final Pattern JAVA_TYPE = Pattern.compile("\\b[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*\\b|\\$|\\b[a-z]+\\.[a-z]+\\.");
    private static final List<String> LEAKED_BEFORE = List.of("DeadLetterStatus", "OrderRequest", "JsonToken",
            "START_ARRAY", "StreamReadConstraints", "CoercionConfig");

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    EntityManager em;

    @Test
    void anUnknownStatusNamesTheParameterNotTheEnum() throws Exception {
        HttpResponse<String> response = raw("GET", "/errand/dead-letters?status=BOGUS");
        assertEquals(400, response.statusCode(), response.body());
        assertNamesNoJavaClass(JsonPath.from(response.body()).getString("detail"));
    }

    static List<String> wrongOrderBodies() {
        return List.of(
                // Not an object at all: Jackson names the request's class.
                "\"hello\"",
                // An array where the order is wanted: Jackson names its token, JsonToken.START_ARRAY.
                "[]",
                // An array where a line is wanted.
                "{\"customerEmail\":\"t@example.com\",\"lines\":[[\"MUG-01\"]]}",
                // An object where text is wanted: Jackson names String.
                "{\"customerEmail\":{},\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1}]}",
                // A number longer than StreamReadConstraints allows (1,000 digits).
                "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1"
                        + "0".repeat(1200) + "}]}",
                // A coercion the strict settings refuse: Jackson suggests enabling CoercionConfig.
                "{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":\"2\"}]}");
    }

    @ParameterizedTest
    @MethodSource("wrongOrderBodies")
    void aWrongOrderBodyIsDescribedWithoutJavaClassNames(String body) {
        String detail = given().contentType(ContentType.JSON).body(body).post("/orders").then().statusCode(400)
                .contentType("application/problem+json").extract().path("detail");
        assertNamesNoJavaClass(detail);
    }

    @Test
    void anArrayForTheWholeOrderSaysAnObjectIsExpected() {
        given().contentType(ContentType.JSON).body("[]").post("/orders").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("expected an object"));
    }

    @Test
    void aNullForAYesOrNoFieldIsRefusedNamingTheField() {
        long before = Rows.count(em, "select count(*) from orders");
        given().contentType(ContentType.JSON)
                .body("{\"customerEmail\":\"t@example.com\",\"lines\":[{\"sku\":\"MUG-01\",\"quantity\":1}],\"urgent\":null}")
                .post("/orders").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString("urgent"));
        assertEquals(before, Rows.count(em, "select count(*) from orders"), "no order is stored");
    }

    @Test
    void aPathThatCannotBeDecodedIsA400Problem() throws Exception {
        // %zz is no escape: Vert.x refuses the path before JAX-RS routes it.
        RawResponse response = send("GET /orders/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.toString());
        assertEquals(400, JsonPath.from(response.body()).getInt("status"));
    }

    @Test
    void aDeclaredLengthOverTheServersBodyLimitIsA413Problem() throws Exception {
        // quarkus.http.limits.max-body-size is 101M in the demo, 105,906,176 bytes; the headers promise
        // 106,000,000 and send none: the answer comes before any body.
        RawResponse response = send("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 106000000\r\n\r\n");
        assertEquals(413, response.status(), response.toString());
        assertTrue(response.contentType().startsWith("application/problem+json"), response.toString());
        assertEquals(413, JsonPath.from(response.body()).getInt("status"));
    }

    /** A response read off the socket: its status, its headers in lower case, its body. */
    private record RawResponse(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    /** Sends {@code request} as it is written; neither HttpClient nor RestAssured sends a broken escape. */
    private RawResponse send(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            Map<String, String> headers = new HashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            char[] body = new char[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
            int read = 0;
            for (int n = 0; read < body.length && n >= 0; read += Math.max(n, 0)) {
                n = in.read(body, read, body.length - read);
            }
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, 0, read));
        }
    }

    private static void assertNamesNoJavaClass(String detail) {
        assertTrue(detail != null && !detail.isBlank(), "a detail is given");
        for (String name : LEAKED_BEFORE) {
            assertFalse(detail.contains(name), detail);
        }
        assertFalse(JAVA_TYPE.matcher(detail).find(), detail);
    }

    /** A request as a viewer, sent as it is written: RestAssured would encode or normalise it. */
    private HttpResponse<String> raw(String method, String pathAndQuery) throws Exception {
        String credentials = Base64.getEncoder().encodeToString(
                ("viewer:" + Users.password("viewer")).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Authorization", "Basic " + credentials).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
