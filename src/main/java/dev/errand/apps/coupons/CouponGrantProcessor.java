package dev.errand.apps.coupons;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.core.handling.Errands;
import dev.errand.core.handling.Task;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** The worker: grants one coupon per message, exactly once per user and campaign. */
@ApplicationScoped
public class CouponGrantProcessor {

    /** Worker pool sized by {@code smallrye.messaging.worker.coupon-workers.max-concurrency}. */
    static final String WORKERS = "coupon-workers";

    private final Errands errands;
    private final PromotionsGateway promotions;
    private final EntityManager em;

    public CouponGrantProcessor(Errands errands, PromotionsGateway promotions, EntityManager em) {
        this.errands = errands;
        this.promotions = promotions;
        this.em = em;
    }

    @Incoming(CouponChannels.GRANTS)
    @Blocking(value = WORKERS, ordered = false)
    public CompletionStage<Void> grant(Message<?> message) {
        return errands.process(CouponChannels.CONSUMER, message, GrantCoupon.class, this::grant);
    }

    // Runs in Errands' transaction: the grant row and the processed-message marker commit together.
    private void grant(Task<GrantCoupon> task) throws Exception {
        GrantCoupon command = task.payload();
        String couponId = promotions.grant(task.messageId(), command);
        em.createNativeQuery("""
                insert into coupon_grant (campaign_id, user_id, coupon_id) values (:campaign, :user, :coupon)
                on conflict do nothing""")
                .setParameter("campaign", command.campaignId())
                .setParameter("user", command.userId())
                .setParameter("coupon", couponId)
                .executeUpdate();
    }
}
