package dev.errand.it.foreground;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * A foreground endpoint that needs the CPU: it answers after its thread has computed for
 * {@code millis} of CPU time, so that its latency stretches when other threads take the cores.
 */
@Path("/it/compute")
public class ComputeResource {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @GET
    public long compute(@QueryParam("millis") int millis) {
        long budget = Math.min(Math.max(millis, 0), 1_000) * 1_000_000L;
        long start = THREADS.getCurrentThreadCpuTime();
        long x = start;
        while (THREADS.getCurrentThreadCpuTime() - start < budget) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }
}
