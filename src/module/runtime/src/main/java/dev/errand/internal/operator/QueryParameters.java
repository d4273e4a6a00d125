package dev.errand.internal.operator;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.errand.ProblemException;

/** The operator endpoints' query parameters, read alike: a bad one is a 400 problem that names it. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** An ISO-8601 instant; null when absent and not {@code required}. */
    static Instant instant(String name, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw invalid(name + " is required: an ISO-8601 instant such as 2024-05-01T12:00:00Z");
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " is an ISO-8601 instant such as 2024-05-01T12:00:00Z, was " + value);
        }
    }

    /** {@code true} or {@code false}; false when absent. */
    static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw invalid(name + " is true or false, was " + value);
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-parameter", "Invalid parameter", detail);
    }
}
