package dev.errand;

import java.time.Instant;
import java.util.List;

/**
 * Batches of work an application wants shown with a progress bar on the dashboard, such as the
 * coupon campaigns. Implement it as a CDI bean; the dashboard adds the throughput and the ETA.
 */
public interface ProgressSource {

    /** The most recent batches, newest first. */
    List<Progress> progress();

    /**
     * One batch.
     *
     * @param kind      what it is, such as "campaign"
     * @param done      items finished successfully
     * @param failed    items that will not be done (dead-lettered or discarded)
     * @param total     items in the batch
     * @param status    the application's word for its state
     * @param finished  whether nothing more will happen to it
     */
    record Progress(String kind, String id, String name, String status, long done, long failed, long total,
            Instant startedAt, boolean finished) {
    }
}
