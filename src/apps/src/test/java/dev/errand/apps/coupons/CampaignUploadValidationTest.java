package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asProducer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/** Each kind of bad upload gets a 4xx problem body, and nothing is stored or enqueued. */
@QuarkusTest
@TestProfile(CampaignUploadValidationTest.SmallLimits.class)
class CampaignUploadValidationTest {

    /** Limits small enough to cross in a test. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("errand.campaign.max-rows", "10", "errand.campaign.max-upload-bytes", "2048");
        }
    }

    @Inject
    EntityManager em;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aWrongContentTypeIsRefused() {
        assertRefused(asProducer().contentType("application/json").body("{\"user_id\": \"a\"}"), 415, "Unsupported Media Type");
    }

    @Test
    void aFileWithoutTheUserIdHeaderIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body("email\na@example.com\n"), 400, "Missing user_id header");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body(""), 400, "Empty file");
    }

    @Test
    void aHeaderWithoutRowsIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body("user_id\n\n"), 400, "No user IDs");
    }

    @Test
    void moreRowsThanTheLimitAreRefused() {
        // max-rows is 10 here: 11 rows are one too many.
        StringBuilder csv = new StringBuilder("user_id\n");
        for (int i = 0; i < 11; i++) {
            csv.append("limit-user-").append(i).append('\n');
        }
        assertRefused(asProducer().contentType("text/csv").body(csv.toString()), 413, "Too many rows");
    }

    @Test
    void aBodyOverTheSizeLimitIsRefused() {
        // max-upload-bytes is 2048 here; nine rows of 300 bytes pass it while staying under max-rows.
        StringBuilder csv = new StringBuilder("user_id\n");
        for (int i = 0; i < 9; i++) {
            csv.append("\"").append("x".repeat(300)).append("\"\n");
        }
        assertRefused(asProducer().contentType("text/csv").body(csv.toString()), 413, "Upload too large");
    }

    @Test
    void aMalformedCsvIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body("user_id\n\"unterminated\n"), 400, "Invalid CSV");
    }

    @Test
    void aMalformedCsvSaysWhatIsWrongWithoutTheParsersClassNames() {
        asProducer().contentType("text/csv").body("user_id\n\"unterminated\n").queryParam("name", "bad")
                .queryParam("couponCents", 1500).post("/campaigns").then().statusCode(400)
                .body("detail", not(containsString("org.apache"))).body("detail", not(containsString("Exception")));
    }

    @Test
    void aDuplicatedUserIdColumnIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body("user_id,user_id\na,b\n"), 400, "Invalid CSV");
    }

    @Test
    void aFileWhoseEveryUserIdIsInvalidIsRefused() {
        assertRefused(asProducer().contentType("text/csv").body("user_id\nnot valid!\nalso/bad\n"), 400,
                "No valid user IDs");
    }

    @Test
    void aUserIdWithANulIsRefusedRatherThanDropped() {
        assertRefused(asProducer().contentType("text/csv").body("user_id\ngood-1\nbad\u0000id\n"), 400, "Invalid CSV");
    }

    @Test
    void aNameWithANulIsRefused() {
        assertRefusedWith(asProducer().contentType("text/csv").body("user_id\nu1\n").queryParam("name", "a\u0000b")
                .queryParam("couponCents", 1500), 400);
    }

    @Test
    void aCouponLargerThanThePromotionsApiAcceptsIsRefusedAtUpload() {
        assertRefusedWith(asProducer().contentType("text/csv").body("user_id\nu1\n").queryParam("name", "big")
                .queryParam("couponCents", 100_001), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = { "2147483648", "abc", "-0.5" })
    void aCouponAmountThatIsNotAnIntegerIsA400Problem(String cents) {
        assertRefusedWith(asProducer().contentType("text/csv").body("user_id\nu1\n").queryParam("name", "n")
                .queryParam("couponCents", cents), 400);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheFileIsRead() throws Exception {
        // The headers promise 10 MB and no byte of the body is sent: the answer comes all the same.
        long campaignsBefore = count("campaign");
        String credentials = java.util.Base64.getEncoder().encodeToString(
                ("producer:" + dev.errand.testing.Users.password("producer")).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /campaigns?name=n&couponCents=1500 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Basic " + credentials + "\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", statusLine);
        }
        assertEquals(campaignsBefore, count("campaign"), "no campaign is stored");
    }

    private void assertRefusedWith(io.restassured.specification.RequestSpecification request, int status) {
        long campaignsBefore = count("campaign");
        request.post("/campaigns").then().statusCode(status).contentType("application/problem+json")
                .body("status", equalTo(status));
        assertEquals(campaignsBefore, count("campaign"), "no campaign is stored");
    }

    @Test
    void aMissingCouponAmountIsRefused() {
        asProducer().contentType("text/csv").body("user_id\nu1\n").queryParam("name", "n")
                .post("/campaigns")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid coupon amount"));
    }

    private void assertRefused(io.restassured.specification.RequestSpecification request, int status, String title) {
        long campaignsBefore = count("campaign");
        long recipientsBefore = count("campaign_recipient");
        ValidatableResponse response = request.queryParam("name", "bad").queryParam("couponCents", 1500)
                .post("/campaigns").then();
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", equalTo(title))
                .body("type", containsString("/problems/"));
        assertEquals(campaignsBefore, count("campaign"), "no campaign is stored");
        assertEquals(recipientsBefore, count("campaign_recipient"), "no recipient is stored, so none is enqueued");
    }

    private long count(String table) {
        return Rows.count(em, "select count(*) from " + table);
    }
}
