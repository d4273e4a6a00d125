package dev.errand.internal.handling;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The failed attempts of one message, over all its deliveries: carried from delivery to delivery in
 * application properties ({@link WireContract#ATTEMPTS}, {@link WireContract#HISTORY}) and finally to
 * the dead-letter queue.
 */
final class AttemptHistory {

    /** One failed attempt. */
    record Failure(int attempt, Instant at, String error) {
    }

    /** Entries kept on the wire; the count of attempts stays exact beyond it. */
    static final int MAX_ENTRIES = 20;
    private static final int MAX_ERROR_LENGTH = 300;

    private final int previousAttempts;
    private final List<Failure> failures;
    private int attempts;
    private int excused;
    private Instant firstFailure;
    private Instant lastFailure;
    private Throwable lastError;

    AttemptHistory(int previousAttempts, Instant firstFailure, List<Failure> earlier) {
        this.previousAttempts = previousAttempts;
        this.firstFailure = firstFailure;
        this.failures = new ArrayList<>(earlier);
    }

    static AttemptHistory of(Envelope envelope) {
        return new AttemptHistory(envelope.previousAttempts(), instant(envelope.property(WireContract.DL_FIRST_FAILURE)),
                parse(envelope.property(WireContract.HISTORY)));
    }

    /** The number of the attempt about to run, counting earlier deliveries. */
    int nextAttempt() {
        return previousAttempts + attempts + 1;
    }

    void failed(Throwable error, Instant at) {
        attempts++;
        if (firstFailure == null) {
            firstFailure = at;
        }
        lastFailure = at;
        lastError = error;
        failures.add(new Failure(previousAttempts + attempts, at, truncate(error.toString())));
        if (failures.size() > MAX_ENTRIES) {
            failures.remove(0);
        }
    }

    int totalAttempts() {
        return previousAttempts + attempts;
    }

    /**
     * The last failure does not count against the message: it met a downstream whose circuit breaker
     * was open by then, so it was the outage that failed, not the message.
     */
    void excuseLast() {
        excused++;
    }

    /** Attempts that count towards max-attempts: all but the excused ones. */
    int countedAttempts() {
        return totalAttempts() - excused;
    }

    /** Attempts of this delivery that failed. */
    int failedNow() {
        return attempts;
    }

    Instant firstFailure() {
        return firstFailure;
    }

    Instant lastFailure() {
        return lastFailure;
    }

    Throwable lastError() {
        return lastError;
    }

    List<Failure> failures() {
        return List.copyOf(failures);
    }

    /** The history as the JSON text of {@link WireContract#HISTORY}. */
    String toJson() {
        JsonArray array = new JsonArray();
        failures.forEach(f -> array.add(new JsonObject().put("attempt", f.attempt()).put("at", f.at().toString())
                .put("error", f.error())));
        return array.encode();
    }

    private static List<Failure> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<Failure> parsed = new ArrayList<>();
            for (Object item : new JsonArray(json)) {
                if (item instanceof JsonObject entry && entry.getValue("attempt") instanceof Number attempt) {
                    Instant at = instant(entry.getString("at"));
                    parsed.add(new Failure(attempt.intValue(), at == null ? Instant.EPOCH : at,
                            truncate(String.valueOf(entry.getValue("error")))));
                }
            }
            return parsed.size() > MAX_ENTRIES ? parsed.subList(parsed.size() - MAX_ENTRIES, parsed.size()) : parsed;
        } catch (DecodeException | ClassCastException e) {
            // A sender's garbled history must not stop the work; it is only lost.
            return List.of();
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
    }
}
