package dev.errand.apps.coupons;

import java.sql.Connection;
import java.sql.PreparedStatement;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Task;
import io.agroal.api.AgroalDataSource;

/** The worker: grants one coupon per message, exactly once per user and campaign. */
@ApplicationScoped
public class CouponGrantProcessor {

    private final PromotionsGateway promotions;
    // Plain JDBC on the transaction's connection: the hot path of 50,000 grants needs no session.
    private final AgroalDataSource dataSource;

    public CouponGrantProcessor(PromotionsGateway promotions, AgroalDataSource dataSource) {
        this.promotions = promotions;
        this.dataSource = dataSource;
    }

    // Runs on the consumer's own threads (errand.consumers.coupon-grants.*), in Errand's transaction: the
    // grant row and the processed-message marker commit together. The promotions API's breaker, which
    // PromotionsGateway names, pauses this consumer while it is open.
    @Incoming(CouponChannels.GRANTS)
    void grant(GrantCoupon command, Task<GrantCoupon> task) throws Exception {
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
