package dev.errand.internal.deadletter;

import dev.errand.DeadLetterStatus;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A message that Errand gave up on, with everything needed to understand and replay it. */
@Entity
@Table(name = "errand_dead_letter")
public class DeadLetter {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "message_id", nullable = false)
    public String messageId;

    @Column(name = "original_address", nullable = false)
    public String originalAddress;

    public String consumer;
    public String subject;

    @Column(name = "correlation_id")
    public String correlationId;

    public int priority;

    @Column(name = "content_type")
    public String contentType;

    public String body;
    public String reason;

    @Column(name = "error_class")
    public String errorClass;

    @Column(name = "error_message")
    public String errorMessage;

    public int attempts;

    @Column(name = "first_failure_at")
    public Instant firstFailureAt;

    @Column(name = "last_failure_at")
    public Instant lastFailureAt;

    /** Every failed attempt (the last 20) as JSON: {@code [{"attempt","at","error"}]}. */
    @Column(name = "history")
    public String history;

    @Column(name = "dead_lettered_at", nullable = false)
    public Instant deadLetteredAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeadLetterStatus status;

    /** When an operator replayed or discarded it: its retention counts from then. */
    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "replay_count", nullable = false)
    public int replayCount;

    /** Deleted by an operator: kept as a record, its retention counting from now. */
    public void discard() {
        status = DeadLetterStatus.DISCARDED;
        resolvedAt = Instant.now();
    }

    /** {@code service}, or {@code outside} for a message an outside sender wrote (its fields are its say). */
    @Column(nullable = false)
    public String origin = "service";
}
