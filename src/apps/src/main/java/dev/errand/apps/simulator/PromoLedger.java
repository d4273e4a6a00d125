package dev.errand.apps.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The simulated promotions system's own book of issued coupons, in its own table. Plain JDBC in
 * autocommit: each call is one statement (two for a repeated key), and the simulator should cost
 * the benchmark as little as an external system would.
 */
@ApplicationScoped
public class PromoLedger {

    /** One issued coupon; {@code replayed} when an earlier call with the same key issued it. */
    public record Coupon(long couponId, String campaignId, String userId, int amountCents, boolean replayed) {
    }

    /**
     * Counts over the whole ledger. {@code replayedRequests} are calls that repeated an idempotency key
     * whose coupon was already issued: work a client ran twice, absorbed by the key.
     */
    public record Totals(long coupons, long duplicateCoupons, long replayedRequests) {
    }

    private static final String INSERT = """
            insert into promo_coupon (campaign_id, user_id, amount_cents, idempotency_key) values (?, ?, ?, ?)
            on conflict (idempotency_key) where idempotency_key is not null do nothing
            returning id""";

    private final AgroalDataSource dataSource;

    public PromoLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Issues a coupon; with a key already seen, returns that key's coupon instead. */
    public Coupon issue(String campaignId, String userId, int amountCents, String idempotencyKey) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setString(1, campaignId);
                insert.setString(2, userId);
                insert.setInt(3, amountCents);
                if (idempotencyKey == null) {
                    insert.setNull(4, Types.VARCHAR);
                } else {
                    insert.setString(4, idempotencyKey);
                }
                try (ResultSet inserted = insert.executeQuery()) {
                    if (inserted.next()) {
                        return new Coupon(inserted.getLong(1), campaignId, userId, amountCents, false);
                    }
                }
            }
            try (PreparedStatement first = connection.prepareStatement(
                    "update promo_coupon set replays = replays + 1 where idempotency_key = ? "
                            + "returning id, campaign_id, user_id, amount_cents")) {
                first.setString(1, idempotencyKey);
                try (ResultSet row = first.executeQuery()) {
                    row.next();
                    return new Coupon(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4), true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("promotions ledger unavailable", e);
        }
    }

    /** Duplicates are coupons beyond the first for a (campaign, user): the number that must stay 0. */
    public Totals totals() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "select count(*), count(*) - count(distinct (campaign_id, user_id)), coalesce(sum(replays), 0) "
                                + "from promo_coupon");
                ResultSet row = count.executeQuery()) {
            row.next();
            return new Totals(row.getLong(1), row.getLong(2), row.getLong(3));
        } catch (SQLException e) {
            throw new IllegalStateException("promotions ledger unavailable", e);
        }
    }

    public void clear() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement truncate = connection.prepareStatement("truncate promo_coupon")) {
            truncate.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("promotions ledger unavailable", e);
        }
    }
}
