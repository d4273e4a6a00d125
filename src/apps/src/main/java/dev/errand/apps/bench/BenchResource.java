package dev.errand.apps.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.Blocking;

import dev.errand.OutboundMessage;
import dev.errand.ProblemException;
import dev.errand.Roles;
import dev.errand.Sender;

/**
 * For bench/throughput.sh: fills a benchmark handler's queue (pause its consumer first, through
 * {@code /errand/consumers/<channel>/pause}) and reports how many it handled.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/bench")
@Produces(MediaType.APPLICATION_JSON)
public class BenchResource {

    private static final List<String> CHANNELS = List.of(BenchHandlers.NOOP, BenchHandlers.INSERT);
    private static final int MAX_FILL = 1_000_000;
    /** Sends in flight at once: enough to keep the link busy, few enough to bound the memory. */
    private static final int WINDOW = 1000;

    private final Sender sender;
    private final BenchHandlers handlers;

    public BenchResource(Sender sender, BenchHandlers handlers) {
        this.sender = sender;
        this.handlers = handlers;
    }

    /** Puts {@code count} messages on the channel's queue; answers once the broker has stored them all. */
    @POST
    @Path("/{channel}/fill")
    @Blocking
    public Map<String, Object> fill(@PathParam("channel") String channel, @QueryParam("count") @DefaultValue("100000") int count,
            @QueryParam("run") @DefaultValue("run") String run) throws InterruptedException {
        requireChannel(channel);
        if (count < 1 || count > MAX_FILL) {
            throw new ProblemException(400, "bench-count", "Bad count", "count must be 1 to " + MAX_FILL);
        }
        if (!run.matches("[A-Za-z0-9-]{1,40}")) {
            throw new ProblemException(400, "bench-run", "Bad run", "run must be 1 to 40 letters, digits or dashes");
        }
        String queue = "errand." + channel;
        Semaphore window = new Semaphore(WINDOW);
        CompletableFuture<?>[] stored = new CompletableFuture<?>[count];
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            window.acquire();
            stored[n] = sender.send(OutboundMessage.json(queue, "bench-" + run + "-" + n, "bench", null,
                    "{\"n\":" + n + "}")).whenComplete((done, error) -> window.release()).toCompletableFuture();
        }
        CompletableFuture.allOf(stored).orTimeout(5, TimeUnit.MINUTES).join();
        return Map.of("channel", channel, "sent", count, "millis",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    @GET
    @Path("/{channel}")
    public Map<String, Object> handled(@PathParam("channel") String channel) {
        requireChannel(channel);
        return Map.of("channel", channel, "handled", handlers.handled(channel));
    }

    private static void requireChannel(String channel) {
        if (!CHANNELS.contains(channel)) {
            throw new ProblemException(404, "bench-channel", "No such benchmark channel",
                    "The benchmark channels are " + CHANNELS);
        }
    }
}
