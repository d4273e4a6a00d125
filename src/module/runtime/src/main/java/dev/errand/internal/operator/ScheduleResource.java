package dev.errand.internal.operator;

import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Call;
import dev.errand.ProblemException;
import dev.errand.Roles;
import dev.errand.Schedules;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/** The schedules: listed for viewers; paused, resumed and triggered by admins. */
// Errand's operator surface; a service leaves it out with errand.http.operator-api=false.
@EndpointDisabled(name = "errand.http.operator-api", stringValue = "false")
@OperatorApi
@Path("/errand/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class ScheduleResource {

    /**
     * A schedule, its interval as ISO-8601 ({@code PT2S}), which a reader need not know Jackson's settings for;
     * or its cron expression and zone ({@code Europe/Paris}).
     */
    public record ScheduleView(String name, String function, String every, String cron, String zone,
            Schedules.Missed missed, boolean paused, Instant lastTick, Instant nextTick) {

        static ScheduleView of(Schedules.Schedule schedule) {
            return new ScheduleView(schedule.name(), schedule.function(),
                    schedule.every() == null ? null : schedule.every().toString(), schedule.cron(),
                    schedule.zone() == null ? null : schedule.zone().getId(), schedule.missed(), schedule.paused(),
                    schedule.lastTick(), schedule.nextTick());
        }
    }

    /** What a trigger started. */
    public record Triggered(String schedule, String callId) {
    }

    private final Schedules schedules;

    public ScheduleResource(Schedules schedules) {
        this.schedules = schedules;
    }

    /** The schedules this replica runs, by name. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<ScheduleView> list() {
        return schedules.list().stream().map(ScheduleView::of).toList();
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Roles.VIEWER)
    public ScheduleView get(@PathParam("name") String name) {
        return schedules.get(name).map(ScheduleView::of).orElseThrow(() -> notFound(name));
    }

    /** Stops its ticks on every replica; pausing a paused schedule changes nothing. */
    @POST
    @Path("{name}/pause")
    @RolesAllowed(Roles.ADMIN)
    public ScheduleView pause(@PathParam("name") String name) {
        if (!schedules.pause(name)) {
            throw notFound(name);
        }
        return get(name);
    }

    /** Lets it tick again; the ticks missed while paused follow its missed-tick policy. */
    @POST
    @Path("{name}/resume")
    @RolesAllowed(Roles.ADMIN)
    public ScheduleView resume(@PathParam("name") String name) {
        if (!schedules.resume(name)) {
            throw notFound(name);
        }
        return get(name);
    }

    /** Starts its call now, keyed by the time of the trigger (no tick: the next tick runs as it would). */
    @POST
    @Path("{name}/trigger")
    @RolesAllowed(Roles.ADMIN)
    public Response trigger(@PathParam("name") String name) {
        Call<?> call = schedules.trigger(name).orElseThrow(() -> notFound(name));
        return Response.status(202).entity(new Triggered(name, call.id())).build();
    }

    private static ProblemException notFound(String name) {
        return new ProblemException(404, "not-found", "Not found", "no schedule named " + name + " in this service");
    }
}
