package dev.errand.apps.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What MonitoringNamesTest takes for a metric name in an expression, and what it leaves out. */
class PromQlNamesTest {

    @Test
    void functionsKeywordsLabelListsOffsetsAndLabelValuesAreNoMetricNames() {
        Map<String, Set<String>> names = PromQlNames.of("""
                sum without (instance, pod, outcome) (clamp_min(
                    errand_handler_messages_total{outcome="dead_lettered", consumer!~"errand-functions-.+"}
                  - (errand_handler_messages_total{outcome="dead_lettered"} offset 10m or up * 0), 0)) > 0.05
                and on (kind) max by (kind) (errand_retention_window_seconds) * 1.1 + 600""");

        assertEquals(Map.of("errand_handler_messages_total", Set.of("outcome", "consumer"), "up", Set.of(),
                "errand_retention_window_seconds", Set.of()), names);
    }

    @Test
    void grafanaVariablesAndLabelValuesQueriesReadTheirMetricOnly() {
        assertEquals(Map.of("errand_handler_duration_seconds_bucket", Set.of("consumer")), PromQlNames.of(
                "histogram_quantile(0.95, sum by (consumer, le) (rate(errand_handler_duration_seconds_bucket{consumer=~\"$consumer\"}[$__rate_interval])))"));
        assertEquals(Map.of("errand_consumer_running", Set.of()),
                PromQlNames.of("label_values(errand_consumer_running, consumer)"));
    }

    @Test
    void aSeriesOfARuleTestIsItsNameAndLabels() {
        assertEquals(Map.of("ft_circuitbreaker_state_current", Set.of("method", "state", "pod")), PromQlNames.of(
                "ft_circuitbreaker_state_current{method=\"a.B.c\", state=\"open\", pod=\"errand-worker-0\"}"));
    }
}
