package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.stagehand.testing.Chromium;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The console in a real headless Chromium: the overview's figures against its JSON, a search, a
 * drill-down whose hostile error message stays text, the tape view, and all of it with JavaScript
 * off. Screenshots of each view go to {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private StagehandTestApp app;
    private String ready;
    private String failed;
    private ChromeDriver browser;
    private ChromeDriver withoutScripts;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Chromium.assumeInstalled();
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < 12; i++) {
            archive.file("g" + i, "genomes/genome-" + i + ".fasta", 10_000 + i * 1_000);
        }
        archive.file("q1", "queued/one.bin", 5_000);
        archive.missingFile("hostile", ConsoleIT.HOSTILE_PATH);
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                io.dropwizard.testing.ConfigOverride.config("work.instanceName", "console-browser"),
                io.dropwizard.testing.ConfigOverride.config("lifecycle.capacity", "1GiB"))).start();
        ready = requestId(app.requestStaging("g0", "g1", "g2", "g3", "g4", "g5"));
        String second = requestId(app.requestStaging("g6", "g7", "g8", "g9", "g10", "g11"));
        failed = requestId(app.requestStaging("hostile", "g0"));
        app.awaitStatus(ready, "ready", TIMEOUT);
        app.awaitStatus(second, "ready", TIMEOUT);
        app.awaitStatus(failed, "failed", TIMEOUT);
        assertThat(app.runTask("pause").status()).isEqualTo(200);
        requestId(app.requestStaging("q1"));
        Files.createDirectories(SCREENSHOTS);
        browser = Chromium.start(directory, true);
        withoutScripts = Chromium.start(directory, false);
        // The staging area's bytes are measured in the background every 15 s; wait for a measurement
        // of all twelve copies, after which nothing changes.
        org.awaitility.Awaitility.await().atMost(TIMEOUT)
                .until(() -> api("overview").get("staging_area").path("pinned_bytes").asLong() == 186_000);
    }

    @AfterAll
    void stop() {
        for (ChromeDriver driver : new ChromeDriver[] {browser, withoutScripts}) {
            if (driver != null) {
                driver.quit();
            }
        }
        if (app != null) {
            app.stop();
        }
    }

    private static String requestId(Reply reply) {
        assertThat(reply.status()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private JsonNode api(String path) {
        Reply reply = app.getAdmin("/console/api/" + path);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    private String console(String path) {
        return "http://localhost:" + app.adminPort() + "/console/" + path;
    }

    private static void screenshot(ChromeDriver driver, String name) throws Exception {
        Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static String figure(ChromeDriver driver, String key) {
        return driver.findElement(By.cssSelector("[data-key='" + key + "']")).getText();
    }

    /** The overview's figures are the JSON's, whether or not scripts run. */
    private void assertOverviewMatchesApi(ChromeDriver driver) {
        driver.get(console(""));
        assertThat(driver.getTitle()).isEqualTo("Overview · Stagehand console");
        JsonNode overview = api("overview");
        for (String status : List.of("staging", "ready", "failed", "cancelled", "total")) {
            assertThat(figure(driver, "requests." + status)).as(status)
                    .isEqualTo(overview.get("requests").get(status).asText());
        }
        for (String files : List.of("due", "later", "waiting_for_space", "under_way", "failed_last_hour")) {
            assertThat(figure(driver, "files." + files)).as(files).isEqualTo(overview.get("files").get(files).asText());
        }
        assertThat(figure(driver, "throughput.files")).isEqualTo(overview.get("throughput").get("files").asText());
        for (String bytes : List.of("capacity_bytes", "used_bytes", "free_bytes", "pinned_bytes", "evictable_bytes")) {
            assertThat(figure(driver, "staging_area." + bytes)).as(bytes)
                    .isEqualTo(overview.get("staging_area").get(bytes).asText());
        }
        assertThat(overview.get("requests").get("ready").asLong()).isEqualTo(2);
        assertThat(overview.get("requests").get("failed").asLong()).isEqualTo(1);
        assertThat(overview.get("requests").get("staging").asLong()).isEqualTo(1);
        assertThat(driver.findElements(By.cssSelector("svg.chart rect"))).isNotEmpty();
        assertThat(driver.findElement(By.id("instances")).getText()).contains("console-browser (this one)").contains("paused");
    }

    @Test
    void overviewShowsTheApisFigures() throws Exception {
        assertOverviewMatchesApi(browser);
        screenshot(browser, "overview");
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("favicon.ico"))
                .toList();
        assertThat(errors).as("no script or style blocked, no asset missing").isEmpty();
    }

    @Test
    void searchLeadsToADrillDownWhoseErrorStaysText() throws Exception {
        browser.get(console("requests"));
        assertThat(browser.findElements(By.cssSelector("#request-list tbody tr"))).hasSize(4);
        WebElement query = browser.findElement(By.id("q"));
        query.sendKeys(failed);
        browser.findElement(By.cssSelector("form.search button")).click();
        List<WebElement> rows = browser.findElements(By.cssSelector("#request-list tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains(failed).contains("failed");
        screenshot(browser, "requests");

        rows.get(0).findElement(By.tagName("a")).click();
        assertThat(browser.getCurrentUrl()).endsWith("/console/requests/" + failed);
        JsonNode detail = api("requests/" + failed);
        assertThat(browser.findElement(By.id("request-status")).getText()).isEqualTo(detail.get("status").get("status").asText());
        assertThat(browser.findElement(By.cssSelector("[data-key='status.files.failed']")).getText())
                .isEqualTo(detail.get("status").get("files").get("failed").asText());
        assertThat(browser.findElement(By.cssSelector("[data-key='status.files.ready']")).getText())
                .isEqualTo(detail.get("status").get("files").get("ready").asText());
        // The hostile path in the error is shown as text: no element was made of it, no script ran.
        assertThat(browser.findElement(By.id("request-files")).getText()).contains("<script>alert(1)</script>");
        assertThat(browser.findElements(By.cssSelector("#request-files script"))).isEmpty();
        assertThat(browser.findElement(By.id("command-cancel")).getAttribute("value"))
                .isEqualTo(detail.get("commands").get(0).get("command").asText());
        screenshot(browser, "request");
    }

    @Test
    void tapeViewSaysWhatTheBackendReports() throws Exception {
        browser.get(console("tape"));
        assertThat(browser.findElement(By.id("tape-note")).getText()).contains("does not report volumes");
        assertThat(browser.findElement(By.cssSelector("[data-key='queue.files']")).getText())
                .isEqualTo(api("tape").get("queue").get("files").asText());
        screenshot(browser, "tape");
    }

    @Test
    void everyViewWorksWithJavaScriptOff() throws Exception {
        assertOverviewMatchesApi(withoutScripts);
        screenshot(withoutScripts, "overview-without-javascript");
        withoutScripts.get(console("requests"));
        new org.openqa.selenium.support.ui.Select(withoutScripts.findElement(By.id("status"))).selectByValue("ready");
        withoutScripts.findElement(By.cssSelector("form.search button")).click();
        List<WebElement> rows = withoutScripts.findElements(By.cssSelector("#request-list tbody tr"));
        assertThat(rows).hasSize(2);
        rows.get(1).findElement(By.tagName("a")).click();
        assertThat(withoutScripts.findElement(By.id("request-status")).getText()).isEqualTo("ready");
        assertThat(withoutScripts.findElements(By.cssSelector("#request-files tbody tr"))).hasSize(6);
        screenshot(withoutScripts, "request-without-javascript");
        withoutScripts.get(console("tape"));
        assertThat(withoutScripts.findElement(By.id("tape-note")).getText()).contains("does not report volumes");
    }
}
