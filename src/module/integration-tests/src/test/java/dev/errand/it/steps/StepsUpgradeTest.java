package dev.errand.it.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.errand.Origin;
import dev.errand.OutsideTransaction;
import dev.errand.Steps;
import dev.errand.Task;
import dev.errand.internal.schema.ErrandSchema;
import dev.errand.internal.steps.StepRecorder;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An upgrade from a database that Errand's schema version 5 made (two step tables: {@code errand_step}
 * for tasks, {@code errand_workflow_step} for workflows), with rows written as that release wrote them:
 * after the upgrade the one step recorder returns every recorded result.
 */
@QuarkusTest
class StepsUpgradeTest {

    private static final String DONE_AT = "2026-11-30T10:00:00Z";

    @Inject
    OutsideTransaction outsideTransaction;

    private final String database = "errand_upgrade_" + UUID.randomUUID().toString().replace("-", "");
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void databaseAtVersion5WithStepsOfBothKinds() throws SQLException {
        Rows.execute("create database " + database);
        var config = ConfigProvider.getConfig();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(config.getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        dataSource.setUser(config.getValue("quarkus.datasource.username", String.class));
        dataSource.setPassword(config.getValue("quarkus.datasource.password", String.class));
        ErrandSchema.migrate(dataSource, "5");

        // Steps.run's insert on main: one row per (consumer, message idempotency id, step).
        String taskStep = "insert into errand_step (consumer, message_id, step, result, done_at) values (?, ?, ?, ?, ?::timestamptz)";
        execute(taskStep, "orders", "order-7", "charge-payment", "pay-7", DONE_AT);
        execute(taskStep, "orders", "order-7", "no-answer", null, DONE_AT);
        execute(taskStep, "copies", "order-7", "charge-payment", "copy-pay-7", DONE_AT);
        execute(taskStep, "orders", "outside:order-7", "charge-payment", "outside-pay-7", DONE_AT);
        // CallStore.recordStep's insert on main: one row per (call id, number), results as JSON.
        String workflowStep = "insert into errand_workflow_step (call_id, seq, name, result, done_at) values (?, ?, ?, ?, ?::timestamptz)";
        execute(workflowStep, "call:wf-1", 1, "users", "[1,2,3]", DONE_AT);
        execute(workflowStep, "call:wf-1", 2, "sleep PT1S", "2026-11-30T10:00:01Z", DONE_AT);
        execute(workflowStep, "call:wf-1", 3, "sleep PT1S", "2026-11-30T10:00:02Z", DONE_AT);
        execute(workflowStep, "call:wf-1", 4, "await 2", "{\"succeeded\":2,\"failed\":0}", DONE_AT);
        // A workflow whose call id is also a message id with task steps: the two stay apart.
        execute(workflowStep, "order-7", 1, "charge-payment", "\"workflow-pay\"", DONE_AT);

        ErrandSchema.migrate(dataSource);
    }

    @AfterEach
    void dropTheDatabase() {
        Rows.execute("drop database if exists " + database + " with (force)");
    }

    @Test
    void aTaskRedeliveredAfterTheUpgradeDoesNotRedoItsRecordedSteps() throws Exception {
        StepRecorder recorder = new StepRecorder(dataSource, outsideTransaction);
        Task<String> redelivered = task("orders", "order-7", Origin.SERVICE, recorder);

        assertEquals("pay-7", redelivered.step("charge-payment", key -> fail("charged again")));
        assertEquals("null", redelivered.step("no-answer", key -> fail("asked again")));
        assertEquals("copy-pay-7", task("copies", "order-7", Origin.SERVICE, recorder)
                .step("charge-payment", key -> fail("the other consumer charged again")));
        assertEquals("outside-pay-7", task("orders", "order-7", Origin.OUTSIDE, recorder)
                .step("charge-payment", key -> fail("the outside message charged again")));

        // A step it had not reached runs once, and is recorded beside the old ones.
        assertEquals("sent", redelivered.step("send-confirmation", key -> "sent"));
        assertEquals("sent", redelivered.step("send-confirmation", key -> fail("sent again")));
        assertEquals(List.of("charge-payment", "no-answer", "send-confirmation"),
                recorder.done("orders", "order-7").stream().map(Steps.Done::step).toList());
    }

    @Test
    void aWorkflowAfterTheUpgradeReplaysItsOldStepsByNumber() {
        StepRecorder recorder = new StepRecorder(dataSource, outsideTransaction);

        assertEquals(Map.of(
                1, new StepRecorder.Numbered(1, "users", "[1,2,3]"),
                2, new StepRecorder.Numbered(2, "sleep PT1S", "2026-11-30T10:00:01Z"),
                3, new StepRecorder.Numbered(3, "sleep PT1S", "2026-11-30T10:00:02Z"),
                4, new StepRecorder.Numbered(4, "await 2", "{\"succeeded\":2,\"failed\":0}")),
                recorder.replay("call:wf-1"));
        assertEquals(Map.of(1, new StepRecorder.Numbered(1, "charge-payment", "\"workflow-pay\"")),
                recorder.replay("order-7"));

        // Its next step takes the next number; a number already recorded keeps its first record.
        recorder.record("call:wf-1", 5, "report", "\"r-1\"");
        recorder.record("call:wf-1", 2, "sleep PT1S", "2026-12-01T00:00:00Z");
        Map<Integer, StepRecorder.Numbered> replay = recorder.replay("call:wf-1");
        assertEquals(5, replay.size());
        assertEquals("2026-11-30T10:00:01Z", replay.get(2).result());
        assertEquals("\"r-1\"", replay.get(5).result());
    }

    private static Task<String> task(String consumer, String messageId, Origin origin, Steps steps) {
        return Task.builder("{}").consumer(consumer).messageId(messageId).origin(origin).attempt(2).steps(steps)
                .build();
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
