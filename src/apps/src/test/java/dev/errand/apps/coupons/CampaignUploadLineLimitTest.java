package dev.errand.apps.coupons;

import static dev.errand.testing.Users.asProducer;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.errand.testing.Rows;
import dev.errand.testing.Users;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A CSV line is bounded while the upload streams (errand.campaign.max-line-bytes, 64 KiB by default):
 * one huge line, the header above all, is refused as soon as it passes the bound instead of being
 * gathered whole in memory, and what a problem echoes of the upload is cut short. Default limits, so
 * the application is the one most test classes share.
 */
@QuarkusTest
class CampaignUploadLineLimitTest {

    private static final long MAX_LINE_BYTES = 65_536;
    private static final byte[] CRLF = { '\r', '\n' };

    @Inject
    EntityManager em;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aHeaderLineLongerThanTheLimitIsRefusedWithoutReadingTheRestOfTheUpload() throws Exception {
        // 200 MB of one header line, chunked so that no declared length is refused first. Without a
        // line bound the parser gathers the line until the 100 MiB upload limit stops it, and answers
        // then; with one, the answer comes once 64 KiB have been read, while the sender is still at
        // the start (what the socket buffers hold, a few MiB).
        long size = 200_000_000;
        long campaignsBefore = count("campaign");
        AtomicLong written = new AtomicLong();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /campaigns?name=huge&couponCents=100 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic " + credentials() + "\r\nContent-Type: text/csv\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread sender = new Thread(() -> {
                byte[] chunk = new byte[65_536];
                Arrays.fill(chunk, (byte) 'x');
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (written.get() < size) {
                        out.write(head);
                        out.write(chunk);
                        out.write(CRLF);
                        written.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // Expected: the server answered and closed the connection.
                }
            });
            sender.setDaemon(true);
            sender.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String statusLine = in.readLine();
            long writtenWhenAnswered = written.get();
            StringBuilder response = new StringBuilder(statusLine).append('\n');
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                response.append(line).append('\n');
            }
            char[] body = new char[229];
            response.append(body, 0, Math.max(0, in.read(body)));
            assertTrue(statusLine.startsWith("HTTP/1.1 413"), response.toString());
            assertTrue(response.toString().contains("application/problem+json")
                    && response.toString().contains("Line too long"), response.toString());
            // 16 MB is far below the 104,857,600 bytes (max-upload-bytes) the upload limit alone lets through.
            assertTrue(writtenWhenAnswered < 16_000_000, "answered after " + writtenWhenAnswered + " bytes of one line");
        }
        assertEquals(campaignsBefore, count("campaign"), "no campaign is stored");
    }

    @Test
    void aQuotedFieldRunningOverManyShortLinesIsBoundedLikeOneLine() {
        // Each physical line is short, but the quotes make them one record the parser would hold whole:
        // 40,000 lines of 2 bytes are 80,000 bytes, over the 65,536 of one line.
        String csv = "user_id,note\nline-limit-user,\"" + "a\n".repeat(40_000) + "\"\n";
        long campaignsBefore = count("campaign");
        long recipientsBefore = count("campaign_recipient");
        asProducer().contentType("text/csv").body(csv).queryParam("name", "quoted").queryParam("couponCents", 100)
                .post("/campaigns").then().statusCode(413).contentType("application/problem+json")
                .body("title", equalTo("Line too long"));
        assertEquals(campaignsBefore, count("campaign"), "no campaign is stored");
        assertEquals(recipientsBefore, count("campaign_recipient"), "no recipient is stored, so none is enqueued");
    }

    @Test
    void aLineOfExactlyTheLimitIsRead() {
        // The header has another column; the whole line, its newline included, is exactly the limit.
        String header = "user_id,note\n";
        String row = "line-limit-fits," + "n".repeat((int) MAX_LINE_BYTES - "line-limit-fits,".length() - 1) + "\n";
        assertEquals(MAX_LINE_BYTES, row.getBytes(StandardCharsets.UTF_8).length);
        asProducer().contentType("text/csv").body(header + row).queryParam("name", "fits")
                .queryParam("couponCents", 100).post("/campaigns").then().statusCode(202).body("total", equalTo(1));
    }

    @Test
    void aProblemEchoesAtMostTwoHundredCharactersOfTheUpload() {
        // A header without user_id is echoed back so the marketer sees what was read, but only its start.
        String header = "email," + "x".repeat(10_000);
        String detail = asProducer().contentType("text/csv").body(header + "\nu1\n").queryParam("name", "echo")
                .queryParam("couponCents", 100).post("/campaigns").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Missing user_id header"))
                .extract().path("detail");
        assertTrue(detail.length() <= 200, detail.length() + " characters: " + detail);
        assertTrue(detail.endsWith("…"), detail);
    }

    private static String credentials() {
        return Base64.getEncoder().encodeToString(
                ("producer:" + Users.password("producer")).getBytes(StandardCharsets.UTF_8));
    }

    private long count(String table) {
        return Rows.count(em, "select count(*) from " + table);
    }
}
