package dev.errand.internal.operator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.errand.ProgressSource;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.foreground.ForegroundFirst;
import dev.errand.internal.handling.BreakerBinding;
import dev.errand.internal.handling.ConsumerRegistry;
import dev.errand.internal.retention.HistoryReadings;
import dev.errand.internal.web.ProblemMapping;
import dev.errand.Roles;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;

/**
 * Everything the dashboard page ({@code /}) shows but the dead letters, in one snapshot it polls:
 * queues as the broker last reported them, consumers, circuit breakers and batches in progress.
 */
// Errand's operator surface; a service leaves it out with errand.http.operator-api=false.
@EndpointDisabled(name = "errand.http.operator-api", stringValue = "false")
@OperatorApi
@Path("/errand/dashboard")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    /**
     * A batch with its progress.
     *
     * @param perSecond  items settled per second lately
     * @param etaSeconds seconds left at that pace; null when finished or not moving
     */
    public record ProgressView(String kind, String id, String name, String status, long done, long failed,
            long total, double percent, double perSecond, Long etaSeconds, Instant startedAt, boolean finished) {
    }

    public record Snapshot(Instant at, List<QueueTrends.QueueView> queues, QueueTrends.OutboxView outbox,
            List<ChannelDispatcher.View> consumers, List<BreakerBinding.BreakerView> breakers,
            List<ProgressView> progress, ForegroundFirst.View background, HistoryView history) {
    }

    /**
     * What Errand keeps, as the last retention pass read it.
     *
     * @param summary one line: each kind's rows and oldest row against its window
     * @param pastRetention whether some kind keeps rows well past its window (its sweep does not keep up)
     */
    public record HistoryView(String summary, boolean pastRetention, HistoryReadings.Reading reading) {

        static HistoryView of(HistoryReadings.Reading reading, Instant now) {
            return new HistoryView(reading.summary(now), !reading.pastRetention(now).isEmpty(), reading);
        }
    }

    private final QueueTrends queues;
    private final ConsumerRegistry consumers;
    private final BreakerBinding breakers;
    private final Instance<ProgressSource> sources;
    private final ForegroundFirst foreground;
    private final HistoryReadings history;
    private final Throughput throughput = new Throughput();

    public DashboardResource(QueueTrends queues, ConsumerRegistry consumers, BreakerBinding breakers,
            Instance<ProgressSource> sources, ForegroundFirst foreground, HistoryReadings history) {
        this.queues = queues;
        this.consumers = consumers;
        this.breakers = breakers;
        this.sources = sources;
        this.foreground = foreground;
        this.history = history;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Snapshot snapshot() {
        return new Snapshot(Instant.now(), queues.queues(), queues.outbox(), consumers.views(), breakers.views(),
                progress(), foreground.view(), HistoryView.of(history.last(), Instant.now()));
    }

    private List<ProgressView> progress() {
        long now = System.nanoTime();
        List<ProgressView> views = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        for (ProgressSource source : sources) {
            for (ProgressSource.Progress batch : source.progress()) {
                String key = batch.kind() + ":" + batch.id();
                shown.add(key);
                long settled = batch.done() + batch.failed();
                double perSecond = batch.finished() ? 0 : throughput.observe(key, settled, now);
                long remaining = Math.max(0, batch.total() - settled);
                Long eta = batch.finished() || perSecond <= 0 ? null : (long) Math.ceil(remaining / perSecond);
                double percent = batch.total() == 0 ? 100 : Math.min(100, 100.0 * settled / batch.total());
                views.add(new ProgressView(batch.kind(), batch.id(), batch.name(), batch.status(), batch.done(),
                        batch.failed(), batch.total(), percent, perSecond, eta, batch.startedAt(), batch.finished()));
            }
        }
        throughput.retain(shown);
        return views;
    }

    // Errand's endpoints answer problem JSON whatever the service's own style: a mapper declared in a
    // resource applies to that resource alone, and each delegates to the one mapping. Public: the
    // generated mapper that calls it may live in another class loader.
    @ServerExceptionMapper
    public Response problem(Throwable error, UriInfo uri) {
        return ProblemMapping.map(error, uri);
    }
}
