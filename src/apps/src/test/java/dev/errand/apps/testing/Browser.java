package dev.errand.apps.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import dev.errand.testing.Repository;
import dev.errand.testing.Tools;

/**
 * Debian's headless Chromium driven through its own chromedriver ({@code .ci/install-chromium}).
 * Nothing is downloaded: Selenium is given both executables.
 */
public final class Browser {

    public static final Path CHROMIUM = Path.of(System.getProperty("errand.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("errand.chromedriver", "/usr/bin/chromedriver"));

    private Browser() {
    }

    /**
     * A fresh browser. Without Chromium the test is skipped on a developer's machine, but fails in CI
     * ({@code CI=true}), where {@code .ci/run} installs it.
     */
    public static ChromeDriver start() throws IOException {
        Tools.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "run .ci/install-chromium for the browser tests");
        Path profile = Files.createTempDirectory("errand-chromium-");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1100", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(Repository.path("target/chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }
}
