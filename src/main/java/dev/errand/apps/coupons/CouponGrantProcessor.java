package dev.errand.apps.coupons;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.core.handling.Errands;
import dev.errand.core.handling.Task;
import io.agroal.api.AgroalDataSource;

/** The worker: grants one coupon per message, exactly once per user and campaign. */
@ApplicationScoped
public class CouponGrantProcessor {

    private final Errands errands;
    private final PromotionsGateway promotions;
    // Plain JDBC on the transaction's connection: the hot path of 50,000 grants needs no session.
    private final AgroalDataSource dataSource;

    public CouponGrantProcessor(Errands errands, PromotionsGateway promotions, AgroalDataSource dataSource) {
        this.errands = errands;
        this.promotions = promotions;
        this.dataSource = dataSource;
    }

    // Not @Blocking: Errands runs the handler on the consumer's own threads (errand.consumers.coupon-grants.*).
    @Incoming(CouponChannels.GRANTS)
    public CompletionStage<Void> grant(Message<?> message) {
        return errands.process(CouponChannels.GRANTS, message, GrantCoupon.class, this::grant);
    }

    // Runs in Errands' transaction: the grant row and the processed-message marker commit together.
    private void grant(Task<GrantCoupon> task) throws Exception {
        GrantCoupon command = task.payload();
        String couponId = promotions.grant(task.messageId(), command);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into coupon_grant (campaign_id, user_id, coupon_id) values (?, ?, ?)
                        on conflict do nothing""")) {
            insert.setLong(1, command.campaignId());
            insert.setString(2, command.userId());
            insert.setString(3, couponId);
            insert.executeUpdate();
        }
    }
}
