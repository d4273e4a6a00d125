package dev.errand.internal.handling;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.errand.internal.config.RetentionConfig;
import io.smallrye.reactive.messaging.amqp.IncomingAmqpMetadata;

/**
 * Stops a message made longer ago than the processed-message retention
 * ({@code errand.retention.processed-messages}): its marker, if it ran, may be gone, so whether it ran
 * can no longer be told, and running it could do its work twice. It is dead-lettered instead
 * ({@code past-marker-retention}), where an operator who knows it did not run can replay it (a replay
 * is a new copy, made now). The age counts from the message's {@code creation-time}, which Errand sets on
 * every copy it sends (a scheduled retry's too); a message without one is run, as nothing tells its age.
 * A message whose run is recorded elsewhere ({@link RunRecords}: a durable call that still has its
 * record) is not stopped: that record says whether it ran, however old the copy (the timer of a long
 * durable sleep is such a copy). Once the record is gone too, a late copy is stopped as any other.
 */
@ApplicationScoped
public class LateCopies {

    /** Runs that are recorded beyond their marker: a durable call's record. */
    public interface RunRecords {

        /** Whether the run of this message on this consumer is still recorded, and decides itself. */
        boolean recorded(String channel, String messageId);
    }

    private final RetentionConfig retention;
    private final Instance<RunRecords> records;

    LateCopies(RetentionConfig retention, Instance<RunRecords> records) {
        this.retention = retention;
        this.records = records;
    }

    /** @return why the message may not run, or null when it may */
    String tooLate(String channel, Message<?> message, String messageId, Instant now) {
        // Every message passes here: a comparison of millis; the rest only for one that is too old.
        long made = message.getMetadata(IncomingAmqpMetadata.class).map(IncomingAmqpMetadata::getCreationTime)
                .orElse(0L);
        long windowMillis = retention.processedMessages().toMillis();
        if (made <= 0 || now.toEpochMilli() - made <= windowMillis
                || messageId != null && records.stream().anyMatch(record -> record.recorded(channel, messageId))) {
            return null;
        }
        Duration age = Duration.ofMillis(now.toEpochMilli() - made);
        return "the message was made " + Instant.ofEpochMilli(made) + ", " + age.withNanos(0) + " ago, longer ago than"
                + " errand.retention.processed-messages=" + retention.processedMessages() + ": its processed-message"
                + " marker may be gone, so whether it already ran cannot be told. Replay it if you know it did not run";
    }
}
