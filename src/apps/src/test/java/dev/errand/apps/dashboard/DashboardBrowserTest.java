package dev.errand.apps.dashboard;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import dev.errand.apps.coupons.CouponChannels;
import dev.errand.apps.testing.Browser;
import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.GrantMessages;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.testing.Repository;
import dev.errand.testing.Rows;
import dev.errand.testing.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** The dashboard at {@code /}, in a real headless Chromium, against the running service. */
@BothBrokers
@QuarkusTest
class DashboardBrowserTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    CircuitBreakerMaintenance breakers;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        Simulator.reset();
        breakers.resetAll();
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        Broker.resume(CouponChannels.GRANTS_QUEUE);
        Users.asAdmin().post("/errand/consumers/" + CouponChannels.GRANTS + "/resume");
        // The dead-letter tests fail every call on purpose; the next test should not meet an open breaker.
        breakers.resetAll();
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageLoadsAndShowsQueuesConsumersAndBreakers() throws Exception {
        open(Users.VIEWER);

        awaitText("#status", text -> text.startsWith("updated"));
        assertFalse(browser.findElements(By.cssSelector("#queues tr[data-queue='" + CouponChannels.GRANTS_QUEUE + "']"))
                .isEmpty(), "the coupon queue is listed");
        assertFalse(browser.findElements(By.cssSelector("#consumers tr[data-consumer='" + CouponChannels.GRANTS + "']"))
                .isEmpty(), "the coupon consumer is listed");
        awaitText("#breakers li[data-breaker='promotions-api']", text -> text.startsWith("promotions-api: closed"));
        // Foreground first's line: the background's limit and why (here idle, or a few polls to judge by).
        awaitText("#background", text -> text.contains("background"));
        Files.createDirectories(Repository.path("target"));
        Files.write(Repository.path("target/dashboard-test.png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aCampaignsProgressBarMovesToAHundredPercent() {
        // Held on the broker first, so the page sees the campaign at 0% before it runs.
        Broker.pause(CouponChannels.GRANTS_QUEUE);
        String csv = "user_id\n" + IntStream.range(0, 300).mapToObj(i -> "dash-" + i).collect(Collectors.joining("\n"));
        long campaign = Campaigns.upload("dashboard", csv);
        open(Users.VIEWER);
        By bar = By.cssSelector("[data-progress-id='campaign:" + campaign + "']");

        await().atMost(Duration.ofSeconds(20)).until(() -> percent(bar) == 0);
        Broker.resume(CouponChannels.GRANTS_QUEUE);

        await().atMost(Duration.ofSeconds(60)).until(() -> percent(bar) == 100);
        awaitText(".progress-item:has([data-progress-id='campaign:" + campaign + "']) .meta",
                text -> text.contains("300 done, 0 failed of 300"));
    }

    @Test
    void aDeadLetterIsReplayedFromThePageAndDisappears() {
        long campaign = Campaigns.anEmptyCampaign();
        long letter = aDeadLetter(campaign);
        By row = shownAs(Users.ADMIN, letter);

        click(row, "button.replay");

        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(row).isEmpty());
        awaitText("#dead-letter-message", text -> text.equals("Replayed " + letter));
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 1);
        assertEquals(-1L, deadLetterId(letterMessageId(letter)), "no longer waiting in the dead-letter queue");
    }

    @Test
    void aViewerCannotReplayAndIsToldWhy() {
        By row = shownAs(Users.VIEWER, aDeadLetter(Campaigns.anEmptyCampaign()));

        click(row, "button.replay");

        awaitText("#dead-letter-message", text -> text.startsWith("Forbidden"));
        assertFalse(browser.findElements(row).isEmpty(), "still a dead letter");
    }

    @Test
    void anAdminPausesAConsumerFromThePageAndItsWorkWaitsUntilResumed() {
        // The consumer is listed once it has had work.
        long campaign = Campaigns.anEmptyCampaign();
        try (AnySender sender = new AnySender()) {
            GrantMessages.aGrant(campaign).sendWith(sender);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 1);
        long calls = Simulator.stat("requests");
        open(Users.ADMIN);
        By row = By.cssSelector("#consumers tr[data-consumer='" + CouponChannels.GRANTS + "']");
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(row).isEmpty());

        click(row, "button.pause");
        awaitText("#consumer-message", text -> text.equals("Paused " + CouponChannels.GRANTS));
        awaitText("#consumers tr[data-consumer='" + CouponChannels.GRANTS + "'] td.paused",
                text -> text.equals("operator"));
        try (AnySender sender = new AnySender()) {
            GrantMessages.aGrant(campaign).sendWith(sender);
        }
        // Held: not one attempt, so not one call to the promotions API.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> Simulator.stat("requests") == calls && Campaigns.progress(campaign).getInt("granted") == 1);

        click(row, "button.resume");
        awaitText("#consumer-message", text -> text.equals("Resumed " + CouponChannels.GRANTS));
        await().atMost(Duration.ofSeconds(20)).until(() -> Campaigns.progress(campaign).getInt("granted") == 2);
    }

    @Test
    void anAdminCancelsAWaitingExportFromThePageAndTheCallSaysWhoCancelledIt() throws Exception {
        // More users than the test profile's approval threshold (1000): the export waits for an approval.
        Rows.execute("truncate crm_user, user_export");
        try {
            Users.asProducer().queryParam("count", 1001).post("/exports/users").then().statusCode(200);
            long exportId = Users.asProducer().post("/exports").then().statusCode(202).extract().jsonPath()
                    .getLong("exportId");
            await().atMost(Duration.ofSeconds(30)).until(() -> "AWAITING_APPROVAL".equals(
                    asViewer().get("/exports/{id}", exportId).jsonPath().getString("status")));
            String workflowId = workflowOf(exportId);
            open(Users.ADMIN);
            By item = By.xpath("//div[@class='progress-item'][.//*[@data-progress-id='workflow:" + workflowId + "']]");
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(item).isEmpty());

            click(item, "button.cancel");

            awaitText("#progress-message", text -> text.equals("Cancelled export-users (#" + workflowId + "): 1 call(s)"));
            awaitText(".progress-item:has([data-progress-id='workflow:" + workflowId + "']) .meta",
                    text -> text.startsWith("CANCELLED"));
            assertTrue(browser.findElement(item).findElements(By.cssSelector("button.cancel")).isEmpty(),
                    "a cancelled workflow has nothing left to cancel");
            asViewer().get("/errand/calls/{id}", workflowId).then().statusCode(200)
                    .body("state", equalTo("CANCELLED")).body("error", equalTo("cancelled by " + Users.ADMIN));
            asViewer().get("/exports/{id}", exportId).then().body("status", equalTo("CANCELLED"));
        } finally {
            // Other classes export the users there are: none of these (more than the threshold) stays.
            Rows.execute("truncate crm_user");
        }
    }

    /**
     * A grant whose every call fails, so it is dead-lettered after its attempts (a fresh breaker window:
     * ten failures stay under its request volume threshold); then the API works again, so a replay succeeds.
     */
    private long aDeadLetter(long campaign) {
        breakers.resetAll();
        Simulator.configure(Map.of("errorRate", 1.0));
        GrantMessages grant = GrantMessages.aGrant(campaign);
        try (AnySender sender = new AnySender()) {
            grant.sendWith(sender);
        }
        long letter = await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterId(grant.messageId()), found -> found > 0);
        Simulator.configure(Map.of("errorRate", 0.0));
        return letter;
    }

    /** Opens the page as {@code user} and waits for the dead letter's row. */
    private By shownAs(String user, long letter) {
        open(user);
        By row = By.cssSelector("tr[data-dead-letter-id='" + letter + "']");
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(row).isEmpty());
        return row;
    }

    private void open(String user) {
        browser.get("http://" + user + ":" + Users.password(user) + "@127.0.0.1:" + port + "/");
    }

    // The page redraws parts of itself every two seconds: an element found a moment ago may be gone
    // (stale), so every look is retried rather than trusted.

    private int percent(By bar) {
        try {
            List<WebElement> bars = browser.findElements(bar);
            return bars.isEmpty() ? -1 : Integer.parseInt(bars.get(0).getAttribute("aria-valuenow"));
        } catch (StaleElementReferenceException redrawn) {
            return -1;
        }
    }

    private void awaitText(String css, java.util.function.Predicate<String> condition) {
        await().atMost(Duration.ofSeconds(20)).ignoreException(StaleElementReferenceException.class)
                .until(() -> browser.findElements(By.cssSelector(css)).stream()
                        .map(WebElement::getText).anyMatch(condition));
    }

    private void click(By row, String button) {
        await().atMost(Duration.ofSeconds(20)).ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(row).findElement(By.cssSelector(button)).click();
                    return true;
                });
    }

    /** The id of the message's waiting dead letter, or -1. */
    private static long deadLetterId(String messageId) {
        List<Map<String, Object>> items = asViewer().queryParam("queue", CouponChannels.GRANTS_QUEUE)
                .queryParam("size", 500).get("/errand/dead-letters").jsonPath().getList("items");
        return items.stream().filter(item -> messageId.equals(item.get("messageId")))
                .mapToLong(item -> ((Number) item.get("id")).longValue()).findFirst().orElse(-1L);
    }

    /** The export's workflow: its call id, as the service recorded it with the export. */
    private static String workflowOf(long exportId) throws java.sql.SQLException {
        try (java.sql.Connection connection = Rows.connect(null);
                java.sql.PreparedStatement query = connection.prepareStatement(
                        "select workflow_id from user_export where id = ?")) {
            query.setLong(1, exportId);
            try (java.sql.ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static String letterMessageId(long letter) {
        return asViewer().get("/errand/dead-letters/{id}", letter).then().statusCode(200).extract().path("messageId");
    }
}
