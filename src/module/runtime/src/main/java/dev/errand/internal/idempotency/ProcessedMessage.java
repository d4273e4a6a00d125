package dev.errand.internal.idempotency;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** The marker that a consumer has processed a message; its key is the idempotency key. */
@Entity
@Table(name = "errand_processed_message")
public class ProcessedMessage {

    @EmbeddedId
    public Key key;

    @Column(name = "processed_at", nullable = false)
    public Instant processedAt;

    @Embeddable
    public static class Key implements Serializable {
        @Column(name = "consumer", nullable = false)
        public String consumer;

        @Column(name = "message_id", nullable = false)
        public String messageId;

        public Key() {
        }

        public Key(String consumer, String messageId) {
            this.consumer = consumer;
            this.messageId = messageId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && consumer.equals(key.consumer) && messageId.equals(key.messageId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(consumer, messageId);
        }
    }
}
