package dev.errand;

import java.time.Duration;
import java.util.Optional;

/**
 * An error the client can act on, answered as RFC 7807 problem JSON ({@value #MEDIA_TYPE}) with this
 * status. Throw it from a resource, or extend it: the exception carries its own status, so no mapper
 * has to know its type. Errand maps it on its own endpoints, and on every endpoint of a service that
 * sets {@code errand.http.all-endpoints}.
 * <pre>{@code
 * throw new ProblemException(404, "order-not-found", "Order not found", "No order with id " + id);
 * }</pre>
 */
public class ProblemException extends RuntimeException {

    /** The media type of a problem answer. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String type;
    private final String title;
    private final Duration retryAfter;

    /**
     * @param status a 4xx or 5xx HTTP status
     * @param type   a short slug such as {@code invalid-csv}, answered as the URI {@code /problems/<type>}
     * @param title  what went wrong, the same for every occurrence
     * @param detail this occurrence
     */
    public ProblemException(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    /**
     * A problem the client may retry after {@code retryAfter}: answered with a {@code Retry-After}
     * header in whole seconds, at least one (a 429 or a 503).
     */
    public ProblemException(int status, String type, String title, String detail, Duration retryAfter) {
        super(detail);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, was " + status);
        }
        this.status = status;
        this.type = type;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    /** When the client may try again, if it may. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
