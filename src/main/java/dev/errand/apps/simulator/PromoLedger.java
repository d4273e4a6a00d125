package dev.errand.apps.simulator;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** The simulated promotions system's own book of issued coupons, in its own table. */
@ApplicationScoped
public class PromoLedger {

    /** One issued coupon; {@code replayed} when an earlier call with the same key issued it. */
    public record Coupon(long couponId, String campaignId, String userId, int amountCents, boolean replayed) {
    }

    /** Counts over the whole ledger. */
    public record Totals(long coupons, long duplicateCoupons) {
    }

    private final EntityManager em;

    public PromoLedger(EntityManager em) {
        this.em = em;
    }

    public Coupon issue(String campaignId, String userId, int amountCents, String idempotencyKey) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (idempotencyKey == null) {
                return insert(campaignId, userId, amountCents, null);
            }
            @SuppressWarnings("unchecked")
            List<Object> inserted = em.createNativeQuery("""
                    insert into promo_coupon (campaign_id, user_id, amount_cents, idempotency_key)
                    values (:campaign, :user, :amount, :key)
                    on conflict (idempotency_key) where idempotency_key is not null do nothing
                    returning id""")
                    .setParameter("campaign", campaignId)
                    .setParameter("user", userId)
                    .setParameter("amount", amountCents)
                    .setParameter("key", idempotencyKey)
                    .getResultList();
            if (!inserted.isEmpty()) {
                return new Coupon(((Number) inserted.get(0)).longValue(), campaignId, userId, amountCents, false);
            }
            Object[] first = (Object[]) em.createNativeQuery("""
                    select id, campaign_id, user_id, amount_cents from promo_coupon where idempotency_key = :key""")
                    .setParameter("key", idempotencyKey)
                    .getSingleResult();
            return new Coupon(((Number) first[0]).longValue(), (String) first[1], (String) first[2],
                    ((Number) first[3]).intValue(), true);
        });
    }

    private Coupon insert(String campaignId, String userId, int amountCents, String key) {
        Number id = (Number) em.createNativeQuery("""
                insert into promo_coupon (campaign_id, user_id, amount_cents, idempotency_key)
                values (:campaign, :user, :amount, :key) returning id""")
                .setParameter("campaign", campaignId)
                .setParameter("user", userId)
                .setParameter("amount", amountCents)
                .setParameter("key", key)
                .getSingleResult();
        return new Coupon(id.longValue(), campaignId, userId, amountCents, false);
    }

    /** Duplicates are coupons beyond the first for a (campaign, user): the number that must stay 0. */
    public Totals totals() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("""
                    select count(*), count(*) - count(distinct (campaign_id, user_id)) from promo_coupon""")
                    .getSingleResult();
            return new Totals(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
        });
    }

    public void clear() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("truncate promo_coupon").executeUpdate());
    }
}
