package dev.errand.apps.coupons;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.OutboundMessage;
import dev.errand.Admission;
import dev.errand.BackgroundWork;
import dev.errand.Backoff;
import dev.errand.Sender;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts a campaign's recipients on the broker, batch by batch, recording after each batch how far it
 * got once the broker has stored it. A batch the broker does not confirm is sent again (message-ids
 * are stable, so a resend cannot grant twice); a crash resumes from the last confirmed batch.
 */
@ApplicationScoped
public class CampaignEnqueuer {

    private static final Logger LOG = Logger.getLogger(CampaignEnqueuer.class);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private static final Duration ROOM_POLL = Duration.ofSeconds(1);

    private final EntityManager em;
    private final Sender sender;
    private final ObjectMapper mapper;
    private final CampaignConfig config;
    private final Admission backpressure;
    private final BackgroundWork background;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "campaign-enqueuer");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public CampaignEnqueuer(EntityManager em, Sender sender, ObjectMapper mapper, CampaignConfig config,
            Admission backpressure, BackgroundWork background) {
        this.background = background;
        this.em = em;
        this.sender = sender;
        this.mapper = mapper;
        this.config = config;
        this.backpressure = backpressure;
    }

    /** Resumes campaigns a previous run left half enqueued. */
    void resume(@Observes StartupEvent startup) {
        List<Long> unfinished = QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("select c.id from Campaign c where c.status = :status", Long.class)
                .setParameter("status", CampaignStatus.ENQUEUING)
                .getResultList());
        unfinished.forEach(id -> {
            LOG.infof("Resuming enqueuing of campaign %d", id);
            start(id);
        });
    }

    public void start(long campaignId) {
        if (running.add(campaignId)) {
            executor.execute(() -> {
                try {
                    enqueue(campaignId);
                } finally {
                    running.remove(campaignId);
                }
            });
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        executor.shutdownNow();
    }

    /**
     * Never ends on an exception: a database or broker outage is reported to {@link BackgroundWork}
     * (readiness shows it once it lasts), waited out with a backoff, and the campaign goes on from
     * its last confirmed batch.
     */
    private void enqueue(long campaignId) {
        String loop = "campaign-enqueuer-" + campaignId;
        Backoff backoff = new Backoff(Duration.ofMillis(500), MAX_BACKOFF);
        try {
            while (!stopping) {
                try {
                    if (!enqueueNext(campaignId, backoff)) {
                        return;
                    }
                    background.succeeded(loop);
                } catch (RuntimeException e) {
                    background.failed(loop, e);
                    LOG.warnf("Enqueuing campaign %d failed (%s); trying again in %d ms", campaignId, e,
                            backoff.next().toMillis());
                    if (!backoff.failed()) {
                        return;
                    }
                }
            }
        } finally {
            background.ended(loop);
        }
    }

    /** One step: waits for room or sends one batch; false once the campaign is on the broker or stopping. */
    private boolean enqueueNext(long campaignId, Backoff backoff) {
        if (!backpressure.hasRoom(CouponChannels.GRANTS_QUEUE)) {
            // The grants queue is at its maximum depth: wait for the workers rather than pile on.
            return Backoff.sleep(ROOM_POLL);
        }
        Batch batch = QuarkusTransaction.requiringNew().call(() -> nextBatch(campaignId));
        if (batch.users().isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> {
                Campaign campaign = em.find(Campaign.class, campaignId);
                campaign.status = CampaignStatus.RUNNING;
                campaign.enqueuedAt = Instant.now();
            });
            LOG.infof("Campaign %d is on the broker", campaignId);
            return false;
        }
        try {
            CompletableFuture.allOf(batch.users().stream()
                    .map(user -> sender.send(message(batch, user)).toCompletableFuture())
                    .toArray(CompletableFuture[]::new))
                    .get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            QuarkusTransaction.requiringNew().run(() -> em.createQuery("""
                    update Campaign c set c.enqueued = c.enqueued + :count, c.enqueueCursor = :cursor
                    where c.id = :id""")
                    .setParameter("count", batch.users().size())
                    .setParameter("cursor", batch.lastRecipientId())
                    .setParameter("id", campaignId)
                    .executeUpdate());
            backoff.reset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warnf("Broker did not confirm a batch of campaign %d (%s); sending it again in %d ms",
                    campaignId, e, backoff.next().toMillis());
            return backoff.failed();
        }
        return true;
    }

    private record Batch(long campaignId, int couponCents, List<String> users, long lastRecipientId) {
    }

    private Batch nextBatch(long campaignId) {
        Campaign campaign = em.find(Campaign.class, campaignId);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, user_id from campaign_recipient
                where campaign_id = :campaign and id > :cursor order by id limit :limit""")
                .setParameter("campaign", campaignId)
                .setParameter("cursor", campaign.enqueueCursor)
                .setParameter("limit", config.enqueueBatch())
                .getResultList();
        long last = rows.isEmpty() ? campaign.enqueueCursor : ((Number) rows.get(rows.size() - 1)[0]).longValue();
        return new Batch(campaignId, campaign.couponCents, rows.stream().map(row -> (String) row[1]).toList(), last);
    }

    private OutboundMessage message(Batch batch, String userId) {
        try {
            String body = mapper.writeValueAsString(new GrantCoupon(batch.campaignId(), userId, batch.couponCents()));
            return OutboundMessage.json(CouponChannels.GRANTS_QUEUE, CouponChannels.messageId(batch.campaignId(), userId),
                    CouponChannels.GRANT_SUBJECT, CouponChannels.correlationId(batch.campaignId()), body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A grant always serialises", e);
        }
    }
}
