package dev.errand.apps.export;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableSchedule;
import dev.errand.Schedules;

/**
 * Every night (02:00 UTC by default; {@code exports.nightly.cron}, {@code off} to leave it out), an export
 * of the users changed since the previous nightly export. Each tick runs once across any number of
 * replicas: the schedule starts it with a keyed start ({@code nightly-export@<tick>}), and the export's
 * row and its workflow are written in the tick's own transaction. A replica that finds the tick taken
 * writes nothing: the schedule's row lock mostly keeps it from getting here, and when the keyed start does
 * find the tick's call, the row this look inserted is deleted again in the same transaction, the call's
 * own export staying the tick's one. A night missed (an outage) is caught up by one export at once
 * (RUN_ONCE), which covers every change since the previous one.
 */
@ApplicationScoped
public class NightlyExport {

    public static final String SCHEDULE = "nightly-export";

    private final ExportStore store;
    private final CrmExport export;

    public NightlyExport(ExportStore store, CrmExport export) {
        this.store = store;
        this.export = export;
    }

    @DurableSchedule(name = SCHEDULE, cron = "${exports.nightly.cron:0 0 2 * * ?}", zone = "${exports.nightly.zone:UTC}",
            missed = Schedules.Missed.RUN_ONCE)
    public Call<CrmExport.Summary> exportChanged(Instant tick) {
        try {
            long exportId = store.newChangedExport(tick);
            // The row comes first because the workflow's argument is its id; a keyed start that finds the
            // tick's call already started returns that call, whose own row is the tick's export.
            Call<CrmExport.Summary> call = export.exportUsers(exportId, 0);
            store.linkOrDiscard(exportId, call.id());
            return call;
        } catch (SQLException e) {
            throw new IllegalStateException("could not start the nightly export of " + tick, e);
        }
    }
}
