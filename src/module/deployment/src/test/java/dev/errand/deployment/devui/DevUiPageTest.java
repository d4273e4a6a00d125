package dev.errand.deployment.devui;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * Errand's Dev UI page, in {@code quarkus dev} (the Dev UI exists nowhere else) and a real headless
 * Chromium: each page shows what the build found or what runs, and its buttons change the running
 * service, as read back from the database.
 */
// The broker and database: the module's tests share them, and the dev mode gets them as a @QuarkusTest would.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevUiPageTest {

    static final Path CHROMIUM = Path.of(System.getProperty("errand.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("errand.chromedriver", "/usr/bin/chromedriver"));

    static final int PORT = port();
    static final String DATA_DIR = dataDir();

    @RegisterExtension
    static final QuarkusDevModeTest DEV = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(Greeting.class, Greeter.class, GreetingResource.class)
                    .addClass(WhatWasWritten.class)
                    .addAsResource(new StringAsset("quarkus.http.port=" + PORT + "\n"
                            // Dev mode with no broker or database configured: Errand starts its embedded
                            // ones, here in a fresh folder of this run's and on a free AMQP port.
                            + "errand.data-dir=" + DATA_DIR + "\n"
                            + "errand.embedded.amqp-port=0\n"
                            + "errand.consumers.redelivery-delay=100ms\n"), "application.properties"));

    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        // As the dashboard's browser tests: skipped on a machine without Chromium, failing in CI.
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("run .ci/install-chromium for the browser tests");
        }
        Assumptions.assumeTrue(installed, "run .ci/install-chromium for the browser tests");
        Path profile = Files.createTempDirectory("errand-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1100", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    // Dev mode starts again for each test (15 to 20 s here): one test reads the pages, one presses buttons.
    @Test
    @Order(1)
    void thePagesShowWhatTheBuildFoundAndAWorkflowsStepsWithTheirAttemptsAndDurations() throws Exception {
        open("handlers");
        String handler = awaitText("qwc-errand-handlers", "#handlers tr[data-channel='greetings']");
        assertTrue(handler.contains("dev.errand.deployment.devui.Greeter#greet"), handler);
        assertTrue(handler.contains("dev.errand.deployment.devui.Greeting"), handler);

        open("functions");
        String workflow = awaitText("qwc-errand-functions", "#functions tr[data-function='welcome']");
        assertTrue(workflow.contains("workflow") && workflow.contains("errand.functions.welcome"), workflow);
        String schedule = awaitText("qwc-errand-functions", "#schedules tr[data-schedule='tidy-up']");
        assertTrue(schedule.contains("every 1h"), schedule);

        String id = post("/greetings/welcome/ada");
        await().atMost(Duration.ofSeconds(20)).until(() -> "SUCCEEDED".equals(callStatus(id)));
        open("workflows");
        awaitText("qwc-errand-workflows", "#workflows tr[data-id='" + id + "']");
        click("qwc-errand-workflows", "#workflows tr[data-id='" + id + "']");
        String write = awaitText("qwc-errand-workflows", "#steps tr[data-step='write']");
        String send = awaitText("qwc-errand-workflows", "#steps tr[data-step='send']");
        assertEquals("1", text("qwc-errand-workflows", "#steps tr[data-step='write'] td.attempts"));
        assertTrue(write.contains(" ms") && send.contains(" ms"), write + " / " + send);
    }

    @Test
    @Order(2)
    void thePagesButtonsPauseAndResumeAConsumerAndReplayADeadLetter() throws Exception {
        open("consumers");
        awaitText("qwc-errand-consumers", "#consumers tr[data-channel='greetings']");
        click("qwc-errand-consumers", "#consumers tr[data-channel='greetings'] button.pause");
        await().atMost(Duration.ofSeconds(10)).until(() -> text("qwc-errand-consumers",
                "#consumers tr[data-channel='greetings']").contains("OPERATOR"));

        String id = post("/greetings/paused");
        // Held on the broker while paused: never taken in this time, where a running consumer takes it at once.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !processed(id));

        click("qwc-errand-consumers", "#consumers tr[data-channel='greetings'] button.resume");
        await().atMost(Duration.ofSeconds(20)).until(() -> processed(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> !text("qwc-errand-consumers",
                "#consumers tr[data-channel='greetings']").contains("OPERATOR"));

        replayingADeadLetterOnThePageHandsItBackToItsHandler();
    }

    /** Part of the test above: each test starts dev mode again, and the page is the same service's. */
    private void replayingADeadLetterOnThePageHandsItBackToItsHandler() throws Exception {
        String id = post("/greetings/refused");
        await().atMost(Duration.ofSeconds(20)).until(() -> "DEAD_LETTERED".equals(deadLetterStatus(id)));
        assertTrue(!processed(id));

        open("dead-letters");
        String row = awaitText("qwc-errand-dead-letters", "#dead-letters tr[data-message-id='" + id + "']");
        assertTrue(row.contains("not greeting refused yet"), row);
        click("qwc-errand-dead-letters", "#dead-letters tr[data-message-id='" + id + "'] button.replay");

        await().atMost(Duration.ofSeconds(20)).until(() -> "REPLAYED".equals(deadLetterStatus(id)));
        await().atMost(Duration.ofSeconds(20)).until(() -> processed(id));
    }

    // ---- The browser: the Dev UI's pages are web components, each inside the shadow roots of others ----

    /** Finds the first element matching {@code selector} in the page's light DOM or any shadow root. */
    private static final String DEEP = """
            const deep = (root, selector) => {
                const found = root.querySelector(selector);
                if (found) return found;
                for (const element of root.querySelectorAll('*')) {
                    if (element.shadowRoot) {
                        const inner = deep(element.shadowRoot, selector);
                        if (inner) return inner;
                    }
                }
                return null;
            };
            const page = deep(document, arguments[0]);
            const target = page && page.shadowRoot ? page.shadowRoot.querySelector(arguments[1]) : null;
            """;

    private static void open(String page) {
        browser.get("http://localhost:" + PORT + "/q/dev-ui/errand/" + page);
    }

    /** The text of {@code selector} in the page component {@code component}, or "" while it is not there. */
    private static String text(String component, String selector) {
        Object text = ((JavascriptExecutor) browser).executeScript(DEEP + "return target ? target.textContent : '';",
                component, selector);
        return text == null ? "" : text.toString().replaceAll("\\s+", " ").trim();
    }

    private static String awaitText(String component, String selector) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !text(component, selector).isEmpty());
        return text(component, selector);
    }

    /** A real click, on the element inside the component's shadow root. */
    private static void click(String component, String selector) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !text(component, selector).isEmpty());
        WebElement element = (WebElement) ((JavascriptExecutor) browser).executeScript(DEEP + "return target;",
                component, selector);
        element.click();
    }

    // ---- The service, and what it wrote ----

    private static String post(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + PORT + path)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static boolean processed(String messageId) throws Exception {
        return get("/written/processed/" + messageId).equals("1");
    }

    private static String deadLetterStatus(String messageId) throws Exception {
        return get("/written/dead-letter/" + messageId);
    }

    private static String callStatus(String callId) throws Exception {
        return get("/written/call/" + callId);
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + PORT + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    // ---- Start-up ----

    /**
     * Chosen once per JVM and kept in a system property: the dev mode loads this class again in its own
     * class loader, whose copy must find the same port.
     */
    private static int port() {
        String chosen = System.getProperty(PORT_PROPERTY);
        if (chosen == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                chosen = String.valueOf(socket.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(PORT_PROPERTY, chosen);
        }
        return Integer.parseInt(chosen);
    }

    private static final String PORT_PROPERTY = "errand.devui-test.port";

    /** One folder for both loads of this class (dev mode loads it again), under target/, gone with a clean. */
    private static String dataDir() {
        String chosen = System.getProperty(DATA_DIR_PROPERTY);
        if (chosen == null) {
            try {
                Path target = Path.of("target");
                Files.createDirectories(target);
                chosen = Files.createTempDirectory(target, "dev-ui-errand-data-").toAbsolutePath().toString();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(DATA_DIR_PROPERTY, chosen);
        }
        return chosen;
    }

    private static final String DATA_DIR_PROPERTY = "errand.devui-test.data-dir";
}
