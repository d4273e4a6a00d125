package dev.errand.internal.handling;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

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
 * A consumer whose runs are recorded elsewhere ({@link RunRecords}, a durable call's record) is not
 * stopped: that record says whether it ran, however old the copy.
 */
@ApplicationScoped
public class LateCopies {

    /**
     * Consumers whose handler keeps its own lasting record of each run, which outlives the marker.
     */
    public interface RunRecords {

        boolean recordsRunsOf(String channel);
    }

    private final RetentionConfig retention;
    private final Instance<RunRecords> records;

    LateCopies(RetentionConfig retention, Instance<RunRecords> records) {
        this.retention = retention;
        this.records = records;
    }

    /** @return why the message may not run, or null when it may */
    String tooLate(String channel, Message<?> message, Instant now) {
        ZonedDateTime made = message.getMetadata(IncomingAmqpMetadata.class)
                .map(IncomingAmqpMetadata::getCreationTime).filter(time -> time > 0)
                .map(time -> Instant.ofEpochMilli(time).atZone(java.time.ZoneOffset.UTC)).orElse(null);
        if (made == null) {
            return null;
        }
        Duration age = Duration.between(made.toInstant(), now);
        Duration window = retention.processedMessages();
        if (age.compareTo(window) <= 0 || records.stream().anyMatch(record -> record.recordsRunsOf(channel))) {
            return null;
        }
        return "the message was made " + made.toInstant() + ", " + age.withNanos(0) + " ago, longer ago than"
                + " errand.retention.processed-messages=" + window + ": its processed-message marker may be gone,"
                + " so whether it already ran cannot be told. Replay it if you know it did not run";
    }
}
