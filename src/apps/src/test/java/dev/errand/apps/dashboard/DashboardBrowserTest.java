package dev.errand.apps.dashboard;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import dev.errand.testing.AnySender;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Broker;
import dev.errand.testing.Browser;
import dev.errand.testing.Campaigns;
import dev.errand.testing.Repository;
import dev.errand.testing.Simulator;
import dev.errand.testing.Users;
import dev.errand.testing.work.TestWorkMessages;
import dev.errand.testing.work.TestWorkProcessor;
import dev.errand.testing.work.WorkLog;
import io.quarkus.test.junit.QuarkusTest;

/** The dashboard at {@code /}, in a real headless Chromium, against the running service. */
@BothBrokers
@QuarkusTest
class DashboardBrowserTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    WorkLog log;

    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() throws Exception {
        Simulator.reset();
        log.clear();
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        Broker.resume(CouponChannels.GRANTS_QUEUE);
        Users.asAdmin().post("/errand/consumers/" + TestWorkProcessor.PARALLEL + "/resume");
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
        String id = "dashboard-" + System.nanoTime();
        long letter = aDeadLetter(id);
        By row = shownAs(Users.ADMIN, letter);

        click(row, "button.replay");

        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(row).isEmpty());
        awaitText("#dead-letter-message", text -> text.equals("Replayed " + letter));
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().stream().anyMatch(a -> a.id().equals(id)));
        assertEquals(-1L, deadLetterId(id), "no longer waiting in the dead-letter queue");
    }

    @Test
    void aViewerCannotReplayAndIsToldWhy() {
        By row = shownAs(Users.VIEWER, aDeadLetter("dashboard-viewer-" + System.nanoTime()));

        click(row, "button.replay");

        awaitText("#dead-letter-message", text -> text.startsWith("Forbidden"));
        assertFalse(browser.findElements(row).isEmpty(), "still a dead letter");
    }

    @Test
    void anAdminPausesAConsumerFromThePageAndItsWorkWaitsUntilResumed() {
        // The consumer is listed once it has had work.
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.PARALLEL_QUEUE, TestWorkMessages.work("dash-first").build());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().size() == 1);
        open(Users.ADMIN);
        By row = By.cssSelector("#consumers tr[data-consumer='" + TestWorkProcessor.PARALLEL + "']");
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(row).isEmpty());

        click(row, "button.pause");
        awaitText("#consumer-message", text -> text.equals("Paused " + TestWorkProcessor.PARALLEL));
        awaitText("#consumers tr[data-consumer='" + TestWorkProcessor.PARALLEL + "'] td.paused",
                text -> text.equals("operator"));
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.PARALLEL_QUEUE, TestWorkMessages.work("dash-held").build());
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> log.attempts().size() == 1);

        click(row, "button.resume");
        awaitText("#consumer-message", text -> text.equals("Resumed " + TestWorkProcessor.PARALLEL));
        await().atMost(Duration.ofSeconds(20)).until(() -> log.succeeded().size() == 2);
    }

    /** Work that fails all ten attempts, so it is dead-lettered; the eleventh, a replay, succeeds. */
    private static long aDeadLetter(String id) {
        try (AnySender sender = new AnySender()) {
            sender.send(TestWorkProcessor.PARALLEL_QUEUE, TestWorkMessages.work(id).failingFirst(10).build());
        }
        return await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterId(id), found -> found > 0);
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
    private static long deadLetterId(String workId) {
        List<Map<String, Object>> items = asViewer().queryParam("queue", TestWorkProcessor.PARALLEL_QUEUE)
                .queryParam("size", 500).get("/errand/dead-letters").jsonPath().getList("items");
        return items.stream().filter(item -> String.valueOf(item.get("body")).contains("\"" + workId + "\""))
                .mapToLong(item -> ((Number) item.get("id")).longValue()).findFirst().orElse(-1L);
    }
}
