package dev.errand.it.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.errand.Call;
import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.internal.metrics.WorkflowMetrics;
import dev.errand.it.functions.LongWaitFunctions;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Workflows that wait too long: a wait whose wake-up message was lost leaves its workflow waiting, past
 * due, forever; the overdue gauges are what tells an operator.
 */
@QuarkusTest
class WaitingWorkflowsMetricsTest {

    private static final String FUNCTION = "function=\"test-day-sleep\"";

    @Inject
    LongWaitFunctions functions;

    @Inject
    DurableCalls calls;

    @Inject
    WorkflowMetrics metrics;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aWorkflowWhoseWakeUpWasLostShowsAsOverdueWithHowLongItIsPastDue() throws SQLException {
        // Every workflow function has its gauges from the start, before anything of it waits.
        double waitingBefore = metric("errand_workflows_waiting", FUNCTION);
        double overdueBefore = metric("errand_workflows_overdue", FUNCTION);

        Call<String> call = functions.daySleep("overdue-" + UUID.randomUUID());
        await().atMost(Duration.ofSeconds(20)).until(() -> calls.status(call).map(CallStatus::state)
                .orElse(null) == CallStatus.State.WAITING);
        awaitMetric("errand_workflows_waiting", waitingBefore + 1);
        // Due in a day: waiting, not overdue.
        assertEquals(overdueBefore, metric("errand_workflows_overdue", FUNCTION));

        // Its wake-up message lost: the broker will never deliver it, and it was due an hour ago.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update errand_call set wake_at = now() - interval '1 hour' where id = ?")) {
            update.setString(1, call.id());
            assertEquals(1, update.executeUpdate());
        }

        awaitMetric("errand_workflows_overdue", overdueBefore + 1);
        assertTrue(metric("errand_workflows_overdue_oldest_seconds", FUNCTION) >= 3600,
                "the oldest is an hour past due");
        assertEquals(waitingBefore + 1, metric("errand_workflows_waiting", FUNCTION));

        calls.cancel(call.id(), "test");
        awaitMetric("errand_workflows_overdue", overdueBefore);
    }

    @Test
    void theReadingUsesTheIndexOfTheWaitingRowsNotTheWholeCallTable() throws SQLException {
        String plan;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement settings = connection.createStatement()) {
                // A test database is too small for the planner to prefer an index: only a full read is
                // taken off the table, the way a large errand_call makes it.
                settings.execute("set local enable_seqscan = off");
            }
            try (PreparedStatement explain = connection.prepareStatement("explain " + WorkflowMetrics.READING)) {
                explain.setInt(1, 60);
                explain.setInt(2, 60);
                try (ResultSet rows = explain.executeQuery()) {
                    StringBuilder lines = new StringBuilder();
                    while (rows.next()) {
                        lines.append(rows.getString(1)).append('\n');
                    }
                    plan = lines.toString();
                }
            }
            connection.rollback();
        }
        assertTrue(plan.contains("errand_call_waiting"), plan);
    }

    private void awaitMetric(String name, double expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            metrics.refresh();
            return metric(name, FUNCTION) == expected;
        });
    }

    private static double metric(String name, String labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "[^}]*} (\\S+)")
                .matcher(text);
        OptionalDouble value = sample.find() ? OptionalDouble.of(Double.parseDouble(sample.group(1)))
                : OptionalDouble.empty();
        assertTrue(value.isPresent(), name + "{" + labels + "} is exported");
        return value.getAsDouble();
    }
}
