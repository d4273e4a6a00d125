package dev.errand.apps.orders;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An order; its lines are in {@code order_line}. */
@Entity
@Table(name = "orders")
public class Order extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "customer_email", nullable = false)
    public String customerEmail;

    @Column(nullable = false)
    public boolean urgent;

    @Column(name = "total_cents", nullable = false)
    public long totalCents;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OrderStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    /** When an order that waits for the provider's confirmation is cancelled without it; null for the others. */
    @Column(name = "payment_due_at")
    public Instant paymentDueAt;

    /** When the provider's confirmation let the order go on to its steps. */
    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    /** When it was cancelled (PAYMENT_TIMED_OUT or CANCELLED), its stock released. */
    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** An order that waits for the provider's confirmation took its stock when it was placed. */
    public boolean stockReserved() {
        return paymentDueAt != null;
    }
}
