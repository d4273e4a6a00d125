package dev.errand.apps.coupons;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A coupon campaign. Progress is counted from grants and dead letters, not kept here. */
@Entity
public class Campaign extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(name = "coupon_cents", nullable = false)
    public int couponCents;

    /** ENQUEUING until every recipient is on the broker, RUNNING after. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CampaignStatus status;

    public int total;
    public int invalid;
    public int enqueued;

    @Column(name = "enqueue_cursor")
    public long enqueueCursor;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "enqueued_at")
    public Instant enqueuedAt;
}
