package dev.errand.apps.coupons;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.DeadLetters;
import dev.errand.DeadLetterStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A campaign's progress, counted from the facts (grant rows, dead letters) when asked, so workers never
 * queue up on one counter row.
 */
@ApplicationScoped
public class CampaignProgress {

    /** The campaign as {@code GET /campaigns/{id}} shows it. */
    public record View(long id, String name, CampaignStatus status, int total, int invalid, int enqueued,
            long granted, long failed, long deadLettered, Instant startedAt, Instant finishedAt) {
    }

    /** One user whose grant did not happen, and why. */
    public record FailureRow(String userId, String reason) {
    }

    private final EntityManager em;
    private final DeadLetters deadLetters;
    private final ObjectMapper mapper;

    public CampaignProgress(EntityManager em, DeadLetters deadLetters,
            ObjectMapper mapper) {
        this.em = em;
        this.deadLetters = deadLetters;
        this.mapper = mapper;
    }

    public Optional<View> find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(em.find(Campaign.class, id))
                .map(this::view));
    }

    /** Cheaper than {@link #find}: no counting. */
    public boolean exists(long id) {
        return QuarkusTransaction.requiringNew().call(() -> em.find(Campaign.class, id) != null);
    }

    public List<View> list(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("from Campaign c order by c.id desc", Campaign.class)
                .setMaxResults(limit)
                .getResultList().stream().map(this::view).toList());
    }

    /** Users in the dead-letter queue or discarded from it, with the last error. */
    public List<FailureRow> failures(long id) {
        return QuarkusTransaction.requiringNew().call(() -> deadLetters
                .listByCorrelation(CouponChannels.correlationId(id),
                        List.of(DeadLetterStatus.DEAD_LETTERED, DeadLetterStatus.DISCARDED))
                .stream().map(this::failureRow).toList());
    }

    private View view(Campaign campaign) {
        String correlation = CouponChannels.correlationId(campaign.id);
        long granted = ((Number) em.createNativeQuery("select count(*) from coupon_grant where campaign_id = :id")
                .setParameter("id", campaign.id).getSingleResult()).longValue();
        long deadLettered = deadLetters.countByCorrelation(correlation, DeadLetterStatus.DEAD_LETTERED);
        long failed = deadLetters.countByCorrelation(correlation, DeadLetterStatus.DISCARDED);
        CampaignStatus status = campaign.status;
        Instant finishedAt = null;
        if (status != CampaignStatus.ENQUEUING) {
            boolean settled = granted + deadLettered + failed >= campaign.total;
            status = !settled ? CampaignStatus.RUNNING
                    : deadLettered + failed > 0 ? CampaignStatus.COMPLETED_WITH_FAILURES : CampaignStatus.COMPLETED;
            finishedAt = settled ? finishedAt(campaign, correlation) : null;
        }
        return new View(campaign.id, campaign.name, status, campaign.total, campaign.invalid, campaign.enqueued,
                granted, failed, deadLettered, campaign.startedAt, finishedAt);
    }

    /**
     * The moment the last user was settled: the latest grant or dead letter of the campaign's own (an
     * outside sender's correlation-id is its say, not a fact).
     */
    private Instant finishedAt(Campaign campaign, String correlation) {
        Object latest = em.createNativeQuery("""
                select greatest(
                    (select max(granted_at) from coupon_grant where campaign_id = :id),
                    (select max(dead_lettered_at) from errand_dead_letter
                     where correlation_id = :correlation and origin = 'service'),
                    (select enqueued_at from campaign where id = :id))""", Instant.class)
                .setParameter("id", campaign.id)
                .setParameter("correlation", correlation)
                .getSingleResult();
        return (Instant) latest;
    }

    private FailureRow failureRow(DeadLetters.Letter letter) {
        String userId;
        try {
            userId = mapper.readTree(letter.body()).path("userId").asText(letter.messageId());
        } catch (Exception e) {
            userId = letter.messageId();
        }
        String reason = letter.reason() + ": " + (letter.errorMessage() == null ? "" : letter.errorMessage());
        return new FailureRow(userId, letter.status() == DeadLetterStatus.DISCARDED ? "discarded " + reason : reason);
    }
}
