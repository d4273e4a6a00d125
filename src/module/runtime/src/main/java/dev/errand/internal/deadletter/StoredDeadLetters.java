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
                .map(StoredDeadLetters::letter)
                .toList());
    }

    /**
     * The newest {@code size} letters in this state, of any correlation, newest first: what a test reads
     * ({@code ErrandTestKit}), by the operator page's own query.
     */
    public List<Letter> newest(DeadLetterStatus status, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> repository.page(status, null, null, 0, size).stream()
                .map(StoredDeadLetters::letter)
                .toList());
    }

    private static Letter letter(DeadLetter letter) {
        return new Letter(letter.id, letter.messageId, letter.originalAddress, letter.correlationId, letter.reason,
                letter.errorMessage, letter.body, letter.status, letter.deadLetteredAt);
    }
}
