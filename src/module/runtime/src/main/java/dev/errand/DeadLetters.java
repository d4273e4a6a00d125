package dev.errand;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Reads the service's dead letters by correlation-id, for a service that shows the failures of its
 * own long work (a campaign's users that could not be served). Only the service's own letters count:
 * an outside sender's correlation-id is its say, not a fact. Joins the caller's transaction, or runs
 * in one of its own.
 */
public interface DeadLetters {

    /** A dead letter as a service sees it. */
    record Letter(long id, String messageId, String address, String correlationId, String reason,
            String errorMessage, String body, DeadLetterStatus status, Instant deadLetteredAt) {
    }

    /** How many of the service's dead letters with this correlation-id are in this state. */
    long countByCorrelation(String correlationId, DeadLetterStatus status);

    /** The service's dead letters with this correlation-id in any of these states, oldest first. */
    List<Letter> listByCorrelation(String correlationId, Collection<DeadLetterStatus> statuses);
}
