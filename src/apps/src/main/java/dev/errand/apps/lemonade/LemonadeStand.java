package dev.errand.apps.lemonade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.PermanentFailure;
import dev.errand.Events;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The stand's data: orders taken with their event, and what the subscribers keep. */
@ApplicationScoped
public class LemonadeStand {

    /** An order as {@code GET /lemonade/orders/{id}} shows it. */
    public record OrderView(long orderId, String customer, int cups, String status, Instant createdAt, Instant readyAt) {
    }

    /** Totals for {@code GET /lemonade/stats}. */
    public record Totals(long accepted, long ready, long loyaltyOrders, long points, long analyticsOrders, long cups) {
    }

    private final AgroalDataSource dataSource;
    private final Events events;

    public LemonadeStand(AgroalDataSource dataSource, Events events) {
        this.dataSource = dataSource;
        this.events = events;
    }

    /** Stores the order and publishes {@code lemonade.order-placed} in one transaction. */
    public long take(String customer, int cups) {
        // Joins the request's transaction when there is one (an Idempotency-Key): key, order and event commit together.
        return QuarkusTransaction.joiningExisting().call(() -> {
            long id;
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into lemonade_order (customer, cups, status) values (?, ?, 'ACCEPTED')",
                            Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, customer);
                insert.setInt(2, cups);
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            events.publish(LemonadeEvents.ORDER_PLACED, "lemonade-order:" + id, new OrderPlaced(id, customer, cups));
            return id;
        });
    }

    public OrderView find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select customer, cups, status, created_at, ready_at from lemonade_order where id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                Timestamp ready = row.getTimestamp(5);
                return new OrderView(id, row.getString(1), row.getInt(2), row.getString(3), row.getTimestamp(4).toInstant(),
                        ready == null ? null : ready.toInstant());
            }
        }
    }

    public Totals totals() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("""
                        select (select count(*) from lemonade_order),
                               (select count(*) from lemonade_order where status = 'READY'),
                               (select coalesce(sum(orders), 0) from lemonade_loyalty),
                               (select coalesce(sum(points), 0) from lemonade_loyalty),
                               (select coalesce(sum(orders), 0) from lemonade_minute),
                               (select coalesce(sum(cups), 0) from lemonade_minute)""")) {
            row.next();
            return new Totals(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5), row.getLong(6));
        }
    }

    /** The kitchen's work done: the order is ready. Runs in the kitchen's handler transaction. */
    void ready(long orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update lemonade_order set status = 'READY', ready_at = now() where id = ?")) {
            update.setLong(1, orderId);
            update.executeUpdate();
        }
    }

    /** The order's points, once: the award row is the business key; an unknown order earns nothing. */
    void addPoints(long orderId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement award = connection.prepareStatement("""
                        insert into lemonade_loyalty_award (order_id) select id from lemonade_order where id = ?
                        on conflict do nothing""");
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into lemonade_loyalty (customer, points, orders)
                        select customer, cups, 1 from lemonade_order where id = ?
                        on conflict (customer) do update set points = lemonade_loyalty.points + excluded.points,
                                                             orders = lemonade_loyalty.orders + 1""")) {
            award.setLong(1, orderId);
            if (award.executeUpdate() == 0) {
                if (!orderExists(connection, orderId)) {
                    throw new PermanentFailure("No lemonade order " + orderId);
                }
                return;
            }
            upsert.setLong(1, orderId);
            upsert.executeUpdate();
        }
    }

    private static boolean orderExists(Connection connection, long orderId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select 1 from lemonade_order where id = ?")) {
            select.setLong(1, orderId);
            try (java.sql.ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    void count(Instant at, int cups) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        insert into lemonade_minute (minute, orders, cups) values (?, 1, ?)
                        on conflict (minute) do update set orders = lemonade_minute.orders + 1,
                                                           cups = lemonade_minute.cups + excluded.cups""")) {
            upsert.setTimestamp(1, Timestamp.from(at.truncatedTo(ChronoUnit.MINUTES)));
            upsert.setInt(2, cups);
            upsert.executeUpdate();
        }
    }
}
