package dev.errand.apps.coupons;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideSenders;
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
    // PromotionsGateway names, pauses this consumer while it is open. Outside senders may send grants
    // (docs/reference/wire-contract.md), so the grant is checked against the campaign, whoever sent it.
    @Incoming(CouponChannels.GRANTS)
    @OutsideSenders
    void grant(GrantCoupon command, Task<GrantCoupon> task) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            if (requireGrantable(connection, command)) {
                return;
            }
        }
        // The business key: the same user's coupon of the same campaign, under any message-id, is one coupon.
        String key = CouponChannels.messageId(command.campaignId(), command.userId());
        String couponId = promotions.grant(key, command);
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
     * campaign must exist, the user must be one of its recipients, and the amount must be the campaign's.
     * A grant that fails this was not made by the enqueuer and is dead-lettered at once.
     *
     * @return true when this user's coupon of this campaign is granted already: nothing to do
     */
    private static boolean requireGrantable(Connection connection, GrantCoupon command) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select c.coupon_cents, exists (select 1 from coupon_grant g
                                               where g.campaign_id = r.campaign_id and g.user_id = r.user_id)
                from campaign_recipient r join campaign c on c.id = r.campaign_id
                where r.user_id = ? and r.campaign_id = ?""")) {
            select.setString(1, command.userId());
            select.setLong(2, command.campaignId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new PermanentFailure("User " + command.userId() + " is not a recipient of campaign "
                            + command.campaignId() + " (or the campaign does not exist)");
                }
                int amount = row.getInt(1);
                if (command.amountCents() != amount) {
                    throw new PermanentFailure("amountCents " + command.amountCents() + " is not campaign "
                            + command.campaignId() + "'s coupon of " + amount + " cents");
                }
                return row.getBoolean(2);
            }
        }
    }
}
