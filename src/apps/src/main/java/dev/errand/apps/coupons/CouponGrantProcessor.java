package dev.errand.apps.coupons;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.PermanentFailure;
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
        try (Connection connection = dataSource.getConnection()) {
            requireRecipient(connection, command);
        }
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

    /**
     * Checked before the promotions API is called, because a coupon once issued stays issued: the
     * campaign must exist and the user must be one of its recipients. A grant that fails this was not
     * made by the enqueuer and is dead-lettered at once.
     */
    private static void requireRecipient(Connection connection, GrantCoupon command) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select 1 from campaign_recipient where user_id = ? and campaign_id = ?""")) {
            select.setString(1, command.userId());
            select.setLong(2, command.campaignId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new PermanentFailure("User " + command.userId() + " is not a recipient of campaign "
                            + command.campaignId() + " (or the campaign does not exist)");
                }
            }
        }
    }
}
