package dev.errand.apps.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.ProblemException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Takes orders: the order, its lines and its work message commit in one transaction. */
@ApplicationScoped
public class OrderService {

    private final Outbox outbox;
    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public OrderService(Outbox outbox, AgroalDataSource dataSource, ObjectMapper mapper) {
        this.outbox = outbox;
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public Order place(OrderRequest request) {
        // Joins the request's transaction when there is one (an Idempotency-Key): key and work commit together.
        return QuarkusTransaction.joiningExisting().call(() -> {
            Order order = new Order();
            order.customerEmail = request.customerEmail();
            order.urgent = request.urgent();
            order.status = OrderStatus.PROCESSING;
            order.createdAt = Instant.now();
            order.persist();
            order.flush();
            order.totalCents = storeLines(order.id, request);
            OutboundMessage work = OutboundMessage.json(OrderChannels.ORDERS_QUEUE, OrderChannels.messageId(order.id),
                    OrderChannels.PROCESS_SUBJECT, OrderChannels.messageId(order.id), body(order.id));
            outbox.enqueue(order.urgent ? work.withPriority(OrderChannels.URGENT_PRIORITY) : work);
            return order;
        });
    }

    /** Stores the lines at today's prices; an unknown SKU refuses the whole order. */
    private long storeLines(long orderId, OrderRequest request) throws SQLException {
        long total = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement price = connection.prepareStatement("select price_cents from inventory where sku = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "insert into order_line (order_id, sku, quantity, price_cents) values (?, ?, ?, ?)")) {
            // The same product twice in one request is one line with both quantities.
            java.util.Map<String, Integer> quantities = new java.util.LinkedHashMap<>();
            request.lines().forEach(line -> quantities.merge(line.sku(), line.quantity(), Integer::sum));
            for (java.util.Map.Entry<String, Integer> line : quantities.entrySet()) {
                price.setString(1, line.getKey());
                long cents;
                try (ResultSet rows = price.executeQuery()) {
                    if (!rows.next()) {
                        throw new ProblemException(400, "unknown-sku", "Unknown product", "No product with SKU "
                                + line.getKey());
                    }
                    cents = rows.getLong(1);
                }
                insert.setLong(1, orderId);
                insert.setString(2, line.getKey());
                insert.setInt(3, line.getValue());
                insert.setLong(4, cents);
                insert.addBatch();
                total += cents * line.getValue();
            }
            insert.executeBatch();
        }
        return total;
    }

    private String body(long orderId) {
        try {
            return mapper.writeValueAsString(new ProcessOrder(orderId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An order message always serialises", e);
        }
    }
}
