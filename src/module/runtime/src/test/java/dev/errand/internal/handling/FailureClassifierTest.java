package dev.errand.internal.handling;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.errand.PermanentFailure;
import dev.errand.RetryLater;
import dev.errand.internal.contract.ContractViolation;

class FailureClassifierTest {

    private final FailureClassifier classifier = new FailureClassifier(
            List.of("java.lang.IllegalArgumentException", "com.example.NotOnTheClasspath"));

    @Test
    void aPermanentFailureAnywhereInTheCauseChainIsPermanent() {
        assertTrue(classifier.isPermanent(new IllegalStateException("tx", new PermanentFailure("422"))));
    }

    @Test
    void aContractViolationIsPermanent() {
        assertTrue(classifier.isPermanent(new ContractViolation("no message-id")));
    }

    @Test
    void aConfiguredClassIsPermanentAndAnUnknownOneIsIgnored() {
        assertTrue(classifier.isPermanent(new IllegalArgumentException("bad")));
    }

    @Test
    void aConstraintViolationFromTheDatabaseIsPermanentButALostConnectionIsNot() {
        // SQLState 23503: foreign key violation; 08006: connection failure.
        assertTrue(classifier.isPermanent(new IllegalStateException("insert", new java.sql.SQLException("fk", "23503"))));
        assertTrue(classifier.isTransient(new java.sql.SQLException("connection lost", "08006")));
    }

    @Test
    void aConfiguredTransientClassWinsOverAPermanentCauseBeneathIt() {
        FailureClassifier retryTimeouts = new FailureClassifier(List.of("java.lang.IllegalArgumentException"),
                List.of("java.util.concurrent.TimeoutException"));
        // A timeout wrapping a validation-like error: the consumer said timeouts are always worth retrying.
        assertTrue(retryTimeouts.isTransient(new java.util.concurrent.TimeoutException() {
            {
                initCause(new IllegalArgumentException("bad"));
            }
        }));
        assertTrue(retryTimeouts.isPermanent(new IllegalArgumentException("bad")));
    }

    @Test
    void anythingElseIsTransient() {
        assertTrue(classifier.isTransient(new UncheckedIOException("reset", new java.io.IOException())));
        assertFalse(classifier.isPermanent(new RetryLater("429", java.time.Duration.ofSeconds(1))));
    }
}
