package io.engagement.pipeline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.service.EngagementService;
import io.engagement.pipeline.service.EventPublisher;
import io.engagement.pipeline.service.ServiceConfig;
import io.engagement.pipeline.testing.KafkaTestBroker;
import io.engagement.pipeline.testing.RealServers;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard as a person uses it: headless Chromium (Debian's chromium and chromium-driver) driven
 * by Selenium, against the real service over real ClickHouse 18.16 data written by the production job
 * from a hand-made set of events. The expected numbers are worked out by hand from that set; the
 * page's screenshots are kept in target/screenshots.
 */
class DashboardBrowserITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @RegisterExtension
    static final RealServers SERVERS =
            RealServers.perClass().topic("engagement-events", 2).jobTopics().topic("engagement-feedback", 2);

    static final String CREATOR_KEY = "kd-creator-key-0123456789";
    static final String ADMIN_KEY = "dash-admin-key-0123456789";
    static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final long T0 = Instant.parse("2026-03-10T10:00:00Z").toEpochMilli();

    @TempDir
    static Path downloads;

    private static EngagementService service;
    private static WebDriver browser;

    private static String event(String id, String type, String content, String user, long offsetMs, String extra) {
        return "{\"event_id\":\"" + id + "\",\"event_type\":\"" + type + "\",\"content_id\":\"" + content
                + "\",\"creator_id\":\"kd\",\"user_id\":\"" + user + "\",\"session_id\":\"s-" + user
                + "\",\"event_time\":"
                + (T0 + offsetMs) + ",\"device\":\"mobile\",\"country\":\"de\"" + extra + "}";
    }

    @BeforeAll
    static void writeDataWithTheJobAndStartTheService(@TempDir Path checkpoints) throws Exception {
        // Creator kd on 2026-03-10. d1: u1 views, completes and likes; u2 views, swipes away at 20 %
        // and comments; u3 and u4 view. d2 (11:00): u1 views, completes and shares. A client retry of
        // the like. Views 5, viewers u1..u4 = 4, completions 2 (40 %), likes + comments + shares 3 (60 %).
        // Reach: 8 feed impressions of d1 (u1..u4 twice); d1's views came from the for-you feed (u1, u2),
        // the following feed (u3) and a profile (u4), d2's from a search: 3 feed views of 8 impressions =
        // 37.5 % click-through; funnel 8 impressions, 5 views, 2 completions, 1 like, 0 follows.
        List<String> impressions = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            impressions.add(event("i" + i, "impression", "d1", "u" + (1 + i % 4), i * 1_000L, ""));
        }
        List<String> d1 = List.of(
                event("e1", "view_start", "d1", "u1", 0, ",\"source\":\"for_you\""),
                event("e2", "view_complete", "d1", "u1", 20_000, ",\"watch_time_ms\":20000,\"progress\":1.0"),
                event("e3", "like", "d1", "u1", 21_000, ""),
                event("e4", "view_start", "d1", "u2", 60_000, ",\"source\":\"for_you\""),
                event("e5", "swipe_away", "d1", "u2", 65_000, ",\"watch_time_ms\":5000,\"progress\":0.2"),
                event("e6", "comment", "d1", "u2", 66_000, ""),
                event("e7", "view_start", "d1", "u3", 120_000, ",\"source\":\"following\""),
                event("e8", "view_start", "d1", "u4", 180_000, ",\"source\":\"profile\""),
                event("e3", "like", "d1", "u1", 21_000, ""));
        List<String> d2 = List.of(
                event("f1", "view_start", "d2", "u1", 3_600_000, ",\"source\":\"search\""),
                event("f2", "view_complete", "d2", "u1", 3_630_000, ",\"watch_time_ms\":30000,\"progress\":1.0"),
                event("f3", "share", "d2", "u1", 3_631_000, ""));
        for (String e : impressions) {
            SERVERS.kafka().send("engagement-events", 0, "d1", e);
        }
        for (String e : d1) {
            SERVERS.kafka().send("engagement-events", 0, "d1", e);
        }
        for (String e : d2) {
            SERVERS.kafka().send("engagement-events", 1, "d2", e);
        }
        // Event time only moves forward on a partition: the experiments of 03-11 come before the live events.
        experiments();
        // Creator kl's content l1, live: 3 views 90 s ago and 2 five hours ago; its content l2, 30 hours
        // old: 2 views then.
        long now = System.currentTimeMillis();
        for (int i = 0; i < 7; i++) {
            long at = i < 3 ? now - 90_000 : i < 5 ? now - 5 * 3_600_000L : now - 30 * 3_600_000L;
            String content = i < 5 ? "l1" : "l2";
            SERVERS.kafka()
                    .send(
                            "engagement-events",
                            0,
                            content,
                            "{\"event_id\":\"l" + i + "\",\"event_type\":\"view_start\",\"content_id\":\"" + content
                                    + "\",\"creator_id\":\"kl\",\"user_id\":\"lu" + i + "\",\"session_id\":\"ls" + i
                                    + "\",\"event_time\":" + at + "}");
        }
        // Creator ka's content a1, four hours ago: 45 minutes of exactly 10 views a minute, then a minute
        // of 80 (>= 50 and 8 x its typical 10): one spike alert, 80 views against a typical 10.
        long firstMinute = (now - 4 * 3_600_000L) / 60_000 * 60_000;
        for (int minute = 0; minute <= 45; minute++) {
            int views = minute < 45 ? 10 : 80;
            for (int v = 0; v < views; v++) {
                long at = firstMinute + minute * 60_000L + v * 500L;
                SERVERS.kafka()
                        .send(
                                "engagement-events",
                                1,
                                "a1",
                                "{\"event_id\":\"a" + minute + "-" + v
                                        + "\",\"event_type\":\"view_start\",\"content_id\":\"a1\",\"creator_id\":\"ka\","
                                        + "\"user_id\":\"au" + v + "\",\"session_id\":\"as" + minute + "-" + v
                                        + "\",\"event_time\":" + at + "}");
            }
        }
        JobConfig job = JobConfig.fromSources(
                new String[] {
                    "--kafka.bootstrap-servers",
                    SERVERS.kafka().bootstrapServers(),
                    "--clickhouse.url",
                    SERVERS.clickhouse().jdbcUrl(),
                    "--kafka.starting-offsets",
                    "earliest",
                    "--validation.max-event-age",
                    "3650 d"
                },
                Map.of());
        EndToEndKafkaClickHouseITCase.runJobToEndOfInput(job, checkpoints);
        // Who owns d1 and d2 is the content catalogue's answer (as the job writes it from the catalogue
        // topic; ContentCatalogueITCase covers that path): the service reads ownership nowhere else.
        SERVERS.clickhouse()
                .http()
                .execute("INSERT INTO engagement.content_catalog (content_id, creator_id, deleted, version)"
                        + " VALUES ('d1', 'kd', 0, 1), ('d2', 'kd', 0, 2), ('l1', 'kl', 0, 3), ('l2', 'kl', 0, 4)");

        ServiceConfig config = ServiceConfig.from(
                new String[] {
                    "--service.port",
                    "0",
                    "--kafka.bootstrap-servers",
                    SERVERS.kafka().bootstrapServers(),
                    "--clickhouse.url",
                    SERVERS.clickhouse().httpUrl(),
                    "--service.rate-limit.analytics-per-minute",
                    "10000"
                },
                Map.of("ENGAGEMENT_SERVICE_API_KEYS", "kd:" + CREATOR_KEY + ":creator:kd,ops:" + ADMIN_KEY + ":admin"));
        service = new EngagementService(
                        config,
                        EventPublisher.forConfig(config),
                        SERVERS.clickhouse().http())
                .start();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1800");
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(
                        new File(System.getenv().getOrDefault("CHROMEDRIVER_BIN", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * Two experiments on 2026-03-11, through the job. "feed-ranker", 50/50: 20 users of variant a with
     * 1 or 2 views each (mean 1.5), 20 of b with 3 or 4 (mean 3.5): b leads by exactly 2 views per user.
     * "broken-split", designed 50/50: 1 100 users in a, 900 in b (55/45), one view each.
     */
    private static void experiments() throws Exception {
        long day = Instant.parse("2026-03-11T10:00:00Z").toEpochMilli();
        List<KafkaTestBroker.Outgoing> out = new ArrayList<>();
        int id = 0;
        for (int u = 0; u < 40; u++) {
            String variant = u < 20 ? "a" : "b";
            int views = (u < 20 ? 1 : 3) + u % 2;
            for (int v = 0; v < views; v++) {
                out.add(experimentEvent(id++, "x" + u, "feed-ranker", variant, day + id * 1_000L));
            }
        }
        for (int u = 0; u < 2_000; u++) {
            out.add(experimentEvent(id++, "y" + u, "broken-split", u < 1_100 ? "a" : "b", day + id * 10L));
        }
        SERVERS.kafka().sendAll("engagement-events", out);
    }

    private static KafkaTestBroker.Outgoing experimentEvent(
            int id, String user, String experiment, String variant, long at) {
        return new KafkaTestBroker.Outgoing(
                id % 2,
                "xc",
                "{\"event_id\":\"x-" + id
                        + "\",\"event_type\":\"view_start\",\"content_id\":\"xc\",\"creator_id\":\"kx\","
                        + "\"user_id\":\"" + user + "\",\"session_id\":\"xs-" + user + "\",\"event_time\":" + at
                        + ",\"experiment\":\"" + experiment + "\",\"variant\":\"" + variant + "\"}");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
    }

    private static String url() {
        return "http://127.0.0.1:" + service.port() + "/dashboard/index.html";
    }

    /** The values of a chart's first series, as the page gave them to ECharts. */
    @SuppressWarnings("unchecked")
    private static List<Long> chartData(String id) {
        List<Object> values = (List<Object>) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript(
                        "return state.charts[arguments[0]].getOption().series[0].data"
                                + ".map((d) => typeof d === 'object' ? d.value : d)",
                        id);
        return values.stream().map(v -> ((Number) v).longValue()).toList();
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    /** Clicks {@code button} and waits until the page says it loaded again (or shows an error). */
    private static void clickAndWait(String button) throws Exception {
        String before = String.valueOf(browser.findElement(By.id("status")).getAttribute("data-loaded"));
        browser.findElement(By.id(button)).click();
        waitFor(() -> !String.valueOf(browser.findElement(By.id("status")).getAttribute("data-loaded"))
                        .equals(before)
                || browser.findElement(By.id("status")).getAttribute("class").contains("error"));
        assertTrue(!browser.findElement(By.id("status")).getAttribute("class").contains("error"), text("status"));
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not get there within 30 s; status: " + text("status"));
            }
            Thread.sleep(100);
        }
    }

    private static void signIn(String key) throws Exception {
        // A fresh tab: the page keeps the key of an earlier sign-in in sessionStorage and signs in with it.
        // Cleared from a page of the same origin that runs no script: cleared from the dashboard itself,
        // its own sign-in with the old key could still finish and store the key again.
        browser.get("http://127.0.0.1:" + service.port() + "/openapi.json");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(url());
        browser.findElement(By.id("api-key")).sendKeys(key);
        browser.findElement(By.id("sign-in")).click();
        waitFor(() -> browser.findElement(By.id("status")).getAttribute("data-loaded") != null
                || !text("sign-in-error").isEmpty());
    }

    private static void period(String from, String to) {
        new Select(browser.findElement(By.id("period"))).selectByValue("custom");
        browser.findElement(By.id("from")).clear();
        browser.findElement(By.id("from")).sendKeys(from);
        browser.findElement(By.id("to")).clear();
        browser.findElement(By.id("to")).sendKeys(to);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(
                shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aCreatorSeesItsNumbersFiltersThemAndExportsThem() throws Exception {
        signIn(CREATOR_KEY);
        assertEquals("creator kd", text("who"));
        period("2026-03-10", "2026-03-10");
        clickAndWait("apply");
        assertEquals(
                List.of("5", "4", "40", "60", "2"),
                List.of(
                        text("card-views"),
                        text("card-unique-viewers"),
                        text("card-completion"),
                        text("card-engagement"),
                        text("card-contents")));
        assertEquals(
                2, browser.findElements(By.cssSelector("#top-content tbody tr")).size());
        assertTrue(text("top-content").startsWith("content views"), text("top-content"));
        assertTrue(
                browser.findElements(By.cssSelector("#chart-timeline canvas")).size() > 0, "the chart is drawn");
        // Reach: 3 feed views of 8 impressions; the funnel and the traffic sources as drawn.
        assertEquals("37.5", text("card-ctr"));
        assertEquals(List.of(8L, 5L, 2L, 1L, 0L), chartData("chart-funnel"));
        assertEquals(List.of(2L, 1L, 1L, 0L, 1L, 0L, 0L), chartData("chart-sources"));
        // Audience retention of d1, the most viewed: u1 played it to the end, u2 left at 20 %, so both
        // are still watching from 0 % to 20 % and half of them from 25 % on; no length, no intro hold.
        List<Long> retention = new ArrayList<>();
        for (int k = 0; k <= 20; k++) {
            retention.add(k <= 4 ? 100L : 50L);
        }
        assertEquals(retention, chartData("chart-retention"));
        assertEquals("-", text("card-intro-hold"));
        // The realtime chart: the last 60 minutes, one bar each (nothing in them: the fixture is in March).
        assertEquals(60, chartData("chart-realtime").size());
        assertEquals("0", text("card-realtime"));
        screenshot("creator-kd-2026-03-10");

        // The content filter: d2 alone had 1 view by u1, completed.
        new Select(browser.findElement(By.id("content"))).selectByValue("d2");
        clickAndWait("apply");
        assertEquals(
                List.of("1", "1", "100"),
                List.of(text("card-views"), text("card-unique-viewers"), text("card-completion")));
        screenshot("creator-kd-content-d2");

        // The period filter: nothing on March 11.
        new Select(browser.findElement(By.id("content"))).selectByValue("");
        period("2026-03-11", "2026-03-11");
        clickAndWait("apply");
        assertEquals("0", text("card-views"));

        // Export: the downloaded CSV has the numbers the page showed.
        period("2026-03-10", "2026-03-10");
        clickAndWait("apply");
        browser.findElement(By.id("export-analytics-csv")).click();
        Path csv = downloads.resolve("creators-kd-analytics.csv");
        waitFor(() -> Files.exists(csv) && Files.size(csv) > 0);
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        String[] row = lines.get(1).split(",");
        assertEquals("5", row[header.indexOf("views")]);
        assertEquals("4", row[header.indexOf("unique_viewers")]);
        assertEquals("40", row[header.indexOf("completion_pct")]);
        Files.copy(
                csv,
                SCREENSHOTS.resolve("creators-kd-analytics.csv"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // The retention export: one line per 5 %, as charted; d2 (played to the end) is the typical band.
        browser.findElement(By.id("export-retention-csv")).click();
        Path retentionCsv = downloads.resolve("content-d1-retention.csv");
        waitFor(() ->
                Files.exists(retentionCsv) && Files.readAllLines(retentionCsv).size() == 22);
        List<String> retentionLines = Files.readAllLines(retentionCsv);
        List<String> columns = List.of(retentionLines.get(0).split(","));
        String[] at25 = retentionLines.get(6).split(",");
        assertEquals("25", at25[columns.indexOf("position_pct")]);
        assertEquals("50", at25[columns.indexOf("still_watching_pct")]);
        assertEquals("100", at25[columns.indexOf("typical_median_pct")]);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anAdminSeesThePlatformAndAnyCreator() throws Exception {
        signIn(ADMIN_KEY);
        assertEquals("admin", text("who"));
        period("2026-03-10", "2026-03-10");
        browser.findElement(By.id("creator")).sendKeys("kd");
        clickAndWait("apply");
        // 11 distinct accepted events (the retried like once) and 8 impressions, 5 views, 4 viewers, no dead
        // letters that day.
        assertEquals(
                List.of("5", "4", "19", "0"),
                List.of(
                        text("admin-views"),
                        text("admin-unique-viewers"),
                        text("admin-accepted"),
                        text("admin-dead-letter-pct")));
        assertEquals("5", text("card-views"), "the admin opens creator kd's dashboard too");
        screenshot("admin-2026-03-10");
        List<String> problems = new ArrayList<>();
        browser.manage().logs().get("browser").forEach(e -> problems.add(e.getMessage()));
        assertEquals(
                List.of(),
                problems.stream()
                        .filter(m -> m.contains("SEVERE") || m.contains("Uncaught"))
                        .toList());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theDashboardOpensOnTheLastHourByMinuteAndTheLast48HoursByHour() throws Exception {
        signIn(ADMIN_KEY);
        browser.findElement(By.id("creator")).sendKeys("kl");
        clickAndWait("apply");
        // kl's 3 views of 90 s ago are in the last 60 minutes; those, the 2 of five hours ago and l2's
        // 2 of 30 hours ago in the last 48 hours, one bar per hour.
        assertEquals("3", text("card-realtime"));
        assertEquals(
                3,
                chartData("chart-realtime").stream().mapToLong(Long::longValue).sum());
        List<Long> hours = chartData("chart-48h");
        assertEquals(48, hours.size());
        assertEquals(7, hours.stream().mapToLong(Long::longValue).sum(), hours.toString());
        assertEquals(3, hours.stream().filter(v -> v > 0).count(), hours.toString());
        // l1 (the most viewed) in its first 24 hours: 5 views against the creator's typical content at
        // that age, l2 with 2: +150 %, first of the creator's contents.
        assertEquals("+150 % (#1)", text("card-typical"));
        // The admin's live throughput: of every accepted event only kl's 3 are in the last 60 minutes.
        assertEquals("3", text("admin-live-accepted"));
        assertEquals(
                3, chartData("chart-live").stream().mapToLong(Long::longValue).sum());
        long lag = Long.parseLong(text("admin-lag"));
        assertTrue(lag >= 0 && lag < 900, "pipeline lag " + lag + " s");
        screenshot("live-view-kl");
    }

    @Test
    void theAlertsTheJobRaisedAreListedNewestFirst() throws Exception {
        signIn(ADMIN_KEY);
        browser.findElement(By.id("creator")).sendKeys("ka");
        clickAndWait("apply");
        List<WebElement> rows = browser.findElements(By.cssSelector("#alerts tbody tr"));
        assertEquals(1, rows.size(), browser.findElement(By.id("alerts")).getText());
        List<String> cells = rows.get(0).findElements(By.tagName("td")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(List.of("spike: far above typical", "a1", "80", "10", "8"), cells.subList(1, 6));
        screenshot("alerts-ka");
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anAdminComparesTheVariantsOfAnExperimentAndIsWarnedOfABrokenSplit() throws Exception {
        signIn(ADMIN_KEY);
        period("2026-03-11", "2026-03-11");
        browser.findElement(By.id("experiment-id")).sendKeys("feed-ranker");
        clickAndWait("experiment-show");
        List<List<String>> rows = browser.findElements(By.cssSelector("#experiments tbody tr")).stream()
                .map(r -> r.findElements(By.tagName("td")).stream()
                        .map(WebElement::getText)
                        .toList())
                .toList();
        // Five metrics per variant; views: a 1.5 per user, b 3.5, so +2 and an interval above 0.
        assertEquals(10, rows.size(), rows.toString());
        assertEquals(List.of("a (control)", "20", "views_per_user", "1.5", "", "", ""), rows.get(0));
        List<String> b = rows.get(5);
        assertEquals(List.of("b", "20", "views_per_user", "3.5", "2"), b.subList(0, 5));
        assertEquals("yes", b.get(6));
        assertTrue(text("experiment-srm").startsWith("Sample ratio fits the design split"), text("experiment-srm"));
        screenshot("experiment-feed-ranker");

        // The same route answers the broken split: 1 100 against 900 of a 50/50 design. By hand, the
        // log Bayes factor (Dirichlet(50, 50) mixture against 1/2, 1/2) is 8.018 > ln 1000.
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(
                                                "http://127.0.0.1:" + service.port()
                                                        + "/v1/experiments/broken-split?from=2026-03-11%2000:00:00&to=2026-03-12%2000:00:00&split=50,50"))
                                .header("Authorization", "Bearer " + ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(answer.body())
                .get("data")
                .get(0);
        assertEquals(1_100, first.get("users").asLong());
        assertTrue(first.get("sample_ratio_mismatch").asBoolean(), answer.body());
        assertEquals(8.018, first.get("srm_log_bayes_factor").asDouble(), 1e-3);
    }

    @Test
    void aTrackingKeyCannotOpenTheDashboard() throws Exception {
        // The tracking key is not among this service's keys; an unknown key is refused the same way.
        signIn("not-a-key-of-this-service");
        assertEquals("unknown API key", text("sign-in-error"));
    }
}
