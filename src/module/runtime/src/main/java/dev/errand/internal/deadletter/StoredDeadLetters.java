package dev.errand.internal.deadletter;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.DeadLetterStatus;
import dev.errand.DeadLetters;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** {@link DeadLetters} over the dead-letter table. */
@ApplicationScoped
public class StoredDeadLetters implements DeadLetters {

    private final DeadLetterRepository repository;

    public StoredDeadLetters(DeadLetterRepository repository) {
        this.repository = repository;
    }

    @Override
    public long countByCorrelation(String correlationId, DeadLetterStatus status) {
        return QuarkusTransaction.joiningExisting().call(() -> repository.countByCorrelation(correlationId, status));
    }

    @Override
    public List<Letter> listByCorrelation(String correlationId, Collection<DeadLetterStatus> statuses) {
        return QuarkusTransaction.joiningExisting().call(() -> repository
                .listByCorrelation(correlationId, List.copyOf(statuses)).stream()
                .map(letter -> new Letter(letter.id, letter.messageId, letter.originalAddress, letter.correlationId,
                        letter.reason, letter.errorMessage, letter.body, letter.status, letter.deadLetteredAt))
                .toList());
    }
}
