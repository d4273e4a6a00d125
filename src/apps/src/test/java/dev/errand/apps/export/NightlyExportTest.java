package dev.errand.apps.export;

import static dev.errand.testing.Users.asAdmin;
import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.DurableCalls;
import dev.errand.Schedules;
import dev.errand.testing.Rows;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The nightly export, on a schedule of the test's own every 2 s (the nightly one is off in the tests):
 * each tick exports the users changed since the previous tick's export, and nothing when nothing changed;
 * a tick's call found already started leaves no export of its own.
 */
@QuarkusTest
class NightlyExportTest {

    @Inject
    Schedules schedules;

    @Inject
    NightlyExport nightly;

    @Inject
    DurableCalls calls;

    @Inject
    EntityManager em;

    private final String name = "nightly-export-test-" + UUID.randomUUID().toString().substring(0, 8);

    /**
     * A nightly export as stored: its tick, how many changed users it covers, its workflow, and whether it
     * covers from the previous export's tick (from the beginning, for the first).
     */
    record Changed(long id, Instant tick, long total, String workflowId, boolean followsThePrevious) {
    }

    @BeforeEach
    void noUsersAndAQuietCrm() {
        Rows.execute("truncate crm_user, user_export");
        asAdmin().post("/simulator/crm/reset").then().statusCode(204);
    }

    @AfterEach
    void noScheduleAndNoUsersLeft() {
        schedules.pause(name);
        Rows.execute("truncate crm_user");
    }

    @Test
    void eachTickExportsTheUsersChangedSinceThePreviousTickAndNothingWhenNothingChanged() {
        asProducer().queryParam("count", 5).post("/exports/users").then().statusCode(200);
        schedules.cron(name, "*/2 * * * * ?", ZoneOffset.UTC, Schedules.Missed.RUN_ONCE, nightly::exportChanged);

        // The first tick: the five users added before it; the next, nothing. Under load a tick may come late
        // or be taken together with the next (RUN_ONCE): which ticks run is not the point, what each covers is.
        await().atMost(Duration.ofSeconds(30)).until(() -> exports().size() >= 2);
        List<Changed> exports = exports();
        assertEquals(5, exports.get(0).total());
        assertEquals(0, exports.get(1).total(), "nothing changed since the first tick");
        awaitExported(exports.get(0), 5);
        awaitExported(exports.get(1), 0);

        // Two users change while the schedule is paused past two of its ticks, as a loaded or stopped service
        // misses them: once resumed, one export (RUN_ONCE) has the two users, and only them.
        assertTrue(schedules.pause(name));
        Instant changed = Instant.now();
        Rows.execute("update crm_user set email = 'changed-' || email where id in (select id from crm_user order by id limit 2)");
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(changed.plusSeconds(5)));
        assertTrue(schedules.resume(name));
        await().atMost(Duration.ofSeconds(30)).until(() -> exports().stream().anyMatch(export -> export.tick().isAfter(changed)
                && export.total() > 0));
        List<Changed> before = exports().stream().filter(export -> !export.tick().isAfter(changed)).toList();
        List<Changed> after = exports().stream().filter(export -> export.tick().isAfter(changed)).toList();
        assertEquals(2, after.get(0).total(), "the first export after the pause has the two changed users: " + after);
        assertEquals(2, after.stream().mapToLong(Changed::total).sum(), "the two changed users, once: " + after);
        assertTrue(Duration.between(before.get(before.size() - 1).tick(), after.get(0).tick()).compareTo(Duration.ofSeconds(4)) >= 0,
                "ticks were missed while paused: " + exports());
        awaitExported(after.get(0), 2);

        // No tick twice, each on the schedule, each export covering from where the previous one stopped (no
        // change left out, none counted twice), each with a workflow of its own that exports what it counted.
        schedules.pause(name);
        List<Changed> all = exports();
        for (int i = 0; i < all.size(); i++) {
            Changed export = all.get(i);
            assertEquals(0, export.tick().getEpochSecond() % 2, "a tick of */2: " + all);
            assertEquals(0, export.tick().getNano(), "a tick of */2: " + all);
            assertTrue(export.followsThePrevious(), "covers from the previous export's tick on: " + all);
            if (i > 0) {
                assertTrue(export.tick().isAfter(all.get(i - 1).tick()), "one export per tick: " + all);
            }
            awaitExported(export, (int) export.total());
        }
        assertEquals(all.size(), all.stream().map(Changed::workflowId).distinct().count(), "a workflow each: " + all);
        assertEquals(7, all.stream().mapToLong(Changed::total).sum(), "five added, two changed: " + all);
    }

    @Test
    void aTickWhoseCallWasAlreadyStartedLeavesNoExportOfItsOwn() {
        asProducer().queryParam("count", 3).post("/exports/users").then().statusCode(200);
        // A tick after the users were added, so that the export has them.
        Instant tick = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        String key = name + "@" + tick;

        String first = QuarkusTransaction.requiringNew()
                .call(() -> calls.startOnce(key, () -> nightly.exportChanged(tick))).id();
        // The same tick again, as a replica gets to it when the schedule's last tick was set back: its keyed
        // start finds the tick's call, and the row it inserted for it goes again.
        String second = QuarkusTransaction.requiringNew()
                .call(() -> calls.startOnce(key, () -> nightly.exportChanged(tick))).id();

        assertEquals(first, second);
        List<Changed> exports = exports();
        assertEquals(1, exports.size(), "" + exports);
        assertEquals(tick, exports.get(0).tick());
        assertEquals(3, exports.get(0).total());
        assertEquals(first, exports.get(0).workflowId());
        awaitExported(exports.get(0), 3);
    }

    private void awaitExported(Changed export, int users) {
        await().atMost(Duration.ofSeconds(60)).until(() -> "COMPLETED".equals(
                asViewer().get("/exports/{id}", export.id()).jsonPath().getString("status")));
        assertEquals(users, asViewer().get("/exports/{id}", export.id()).jsonPath().getInt("exported"));
    }

    /** The nightly exports, oldest first. */
    private List<Changed> exports() {
        List<Changed> exports = new ArrayList<>();
        for (Object row : QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                select id, changed_until, total, workflow_id,
                       coalesce(changed_after = lag(changed_until) over (order by changed_until),
                                changed_after = '-infinity')
                from user_export where changed_until is not null order by changed_until""")
                .getResultList())) {
            Object[] columns = (Object[]) row;
            exports.add(new Changed(((Number) columns[0]).longValue(), instant(columns[1]), ((Number) columns[2]).longValue(),
                    (String) columns[3], Boolean.TRUE.equals(columns[4])));
        }
        return exports;
    }

    private static Instant instant(Object value) {
        return value instanceof Instant instant ? instant
                : value instanceof java.time.OffsetDateTime offset ? offset.toInstant() : ((Timestamp) value).toInstant();
    }
}
