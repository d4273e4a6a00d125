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
 * row and its workflow are written in the tick's own transaction, so a replica that finds the tick taken
 * writes neither. A night missed (an outage) is caught up by one export at once (RUN_ONCE), which covers
 * every change since the previous one.
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
            Call<CrmExport.Summary> call = export.exportUsers(exportId, 0);
            store.workflow(exportId, call.id());
            return call;
        } catch (SQLException e) {
            throw new IllegalStateException("could not start the nightly export of " + tick, e);
        }
    }
}
