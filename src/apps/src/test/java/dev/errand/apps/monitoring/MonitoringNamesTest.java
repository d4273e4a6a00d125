package dev.errand.apps.monitoring;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.errand.apps.testing.Campaigns;
import dev.errand.testing.Repository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The monitoring in k8s/monitoring reads Errand's metrics by name: the alerting rules, the series of
 * their unit tests and the Grafana dashboard. Each name must be one this service exports, as a scrape
 * of /q/metrics shows it after work of every kind has run, so that a renamed metric fails here and not
 * in production, where an alert on a name nobody exports stays silent.
 */
@QuarkusTest
class MonitoringNamesTest {

    private static final Path ALERTS = Repository.path("k8s/monitoring/errand-alerts.yaml");
    private static final Path ALERT_TESTS = Repository.path("k8s/monitoring/errand-alerts.test.yaml");
    private static final Path DASHBOARD = Repository.path("k8s/monitoring/errand-dashboard.json");
    private static final Path OBSERVABILITY = Repository.path("docs/operations/observability.md");
    private static final String RUNBOOK_PREFIX = "docs/operations/observability.md#";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    /** Labels Prometheus adds from its target, which a scrape does not carry. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod", "service",
            "container", "endpoint");

    @Test
    void everyMetricTheAlertsTheirTestsAndTheDashboardReadIsInAScrapeOnceWorkHasRun() throws IOException {
        // Meters that appear with their first use: handled deliveries, sends, a workflow's runs, a breaker's
        // state (the promotions API's, called by every grant).
        long campaign = Campaigns.upload("monitoring names", "user_id\nmon-1\nmon-2\nmon-3\n");
        long order = placeOrderThatWaitsForItsPayment();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Campaigns.progress(campaign).getString("status").equals("COMPLETED"));
        // The test profile's payment timeout is 8 s: the workflow resumes and settles the order.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "PAYMENT_TIMED_OUT".equals(given().get("/orders/{id}", order).jsonPath().getString("status")));

        Map<String, Set<String>> scraped = scrape();
        Map<String, Map<String, Set<String>>> read = new TreeMap<>();
        read.put(ALERTS.getFileName().toString(), names(alertExpressions()));
        read.put(ALERT_TESTS.getFileName().toString(), names(testSeries()));
        read.put(DASHBOARD.getFileName().toString(), names(dashboardQueries()));

        List<String> problems = new ArrayList<>();
        read.forEach((file, names) -> {
            assertFalse(names.isEmpty(), file + " reads no metric: is the parsing broken?");
            names.forEach((name, labels) -> {
                if (!scraped.containsKey(name)) {
                    problems.add(file + ": " + name + " is not in /q/metrics");
                    return;
                }
                labels.stream().filter(label -> !TARGET_LABELS.contains(label) && !scraped.get(name).contains(label))
                        .forEach(label -> problems.add(file + ": " + name + " has no label " + label + " in /q/metrics"));
            });
        });
        assertEquals(List.of(), problems, "Errand's names in /q/metrics: " + scraped.keySet().stream()
                .filter(name -> name.startsWith("errand_") || name.startsWith("ft_")).toList());
    }

    @Test
    void everyAlertHasASummaryADescriptionARunbookSectionAndATestInWhichItFires() throws IOException {
        Set<String> anchors = Files.readAllLines(OBSERVABILITY).stream().filter(line -> line.startsWith("#"))
                .map(MonitoringNamesTest::anchor).collect(Collectors.toSet());
        Set<String> firing = new HashSet<>();
        for (JsonNode test : YAML.readTree(ALERT_TESTS.toFile()).path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                if (!check.path("exp_alerts").isEmpty()) {
                    firing.add(check.path("alertname").asText());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        int alerts = 0;
        for (JsonNode rule : rules()) {
            String alert = rule.path("alert").asText();
            alerts++;
            JsonNode annotations = rule.path("annotations");
            for (String annotation : List.of("summary", "description", "runbook_url")) {
                if (annotations.path(annotation).asText().isBlank()) {
                    problems.add(alert + " has no " + annotation);
                }
            }
            String runbook = annotations.path("runbook_url").asText();
            if (!runbook.startsWith(RUNBOOK_PREFIX) || !anchors.contains(runbook.substring(RUNBOOK_PREFIX.length()))) {
                problems.add(alert + "'s runbook " + runbook + " is no section of " + OBSERVABILITY.getFileName());
            }
            if (rule.path("labels").path("severity").asText().isBlank()) {
                problems.add(alert + " has no severity");
            }
            if (!firing.contains(alert)) {
                problems.add(alert + " fires in no test of " + ALERT_TESTS.getFileName());
            }
        }
        assertTrue(alerts > 0, "no alert read");
        assertEquals(List.of(), problems);
    }

    @Test
    void everyDashboardPanelHasItsDataSourceAQueryAPlaceAndAnIdOfItsOwn() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertEquals("errand", dashboard.path("uid").asText());
        Set<Integer> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            String title = panel.path("title").asText();
            if (!ids.add(panel.path("id").asInt(-1))) {
                problems.add(title + ": id " + panel.path("id") + " is not its own");
            }
            if (!panel.path("gridPos").has("w") || !panel.path("gridPos").has("y")) {
                problems.add(title + ": no gridPos");
            }
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            if (!"${datasource}".equals(panel.path("datasource").path("uid").asText())) {
                problems.add(title + ": its datasource is not the dashboard's ${datasource}");
            }
            if (panel.path("targets").isEmpty()) {
                problems.add(title + ": no query");
            }
            for (JsonNode target : panel.path("targets")) {
                if (target.path("expr").asText().isBlank() || target.path("refId").asText().isBlank()) {
                    problems.add(title + ": a target without expr or refId");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    private static long placeOrderThatWaitsForItsPayment() {
        // 20 mugs at 1,200 cents: above the test profile's 20,000 cents, so a workflow waits for the payment.
        return given().contentType(ContentType.JSON)
                .body(Map.of("customerEmail", "monitoring@example.com", "lines",
                        List.of(Map.of("sku", "MUG-01", "quantity", 20))))
                .post("/orders").then().statusCode(202).extract().jsonPath().getLong("orderId");
    }

    /** Each sample's name, with the labels any of its series carries. */
    private static Map<String, Set<String>> scrape() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Set<String>> names = new TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = names.computeIfAbsent(sample.group(1), any -> new TreeSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return names;
    }

    private static Map<String, Set<String>> names(List<String> expressions) {
        Map<String, Set<String>> names = new TreeMap<>();
        expressions.forEach(expression -> PromQlNames.of(expression)
                .forEach((name, labels) -> names.computeIfAbsent(name, any -> new TreeSet<>()).addAll(labels)));
        return names;
    }

    private static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        YAML.readTree(ALERTS.toFile()).path("spec").path("groups")
                .forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    private static List<String> alertExpressions() throws IOException {
        return rules().stream().map(rule -> rule.path("expr").asText()).toList();
    }

    /** The input series of the rules' unit tests, and the expressions they evaluate, if any. */
    private static List<String> testSeries() throws IOException {
        List<String> series = new ArrayList<>();
        for (JsonNode test : YAML.readTree(ALERT_TESTS.toFile()).path("tests")) {
            test.path("input_series").forEach(input -> series.add(input.path("series").asText()));
            test.path("promql_expr_test").forEach(check -> series.add(check.path("expr").asText()));
        }
        return series;
    }

    /** Every panel's queries, and the template variables' (label_values(metric, label)). */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        List<String> queries = new ArrayList<>();
        panels(dashboard).forEach(panel -> panel.path("targets").forEach(target -> queries.add(target.path("expr").asText())));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.path("query");
                queries.add(query.isObject() ? query.path("query").asText() : query.asText());
            }
        }
        return queries;
    }

    /** The dashboard's panels, those inside collapsed rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
    private static String anchor(String heading) {
        return heading.replaceFirst("^#+\\s*", "").trim().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
