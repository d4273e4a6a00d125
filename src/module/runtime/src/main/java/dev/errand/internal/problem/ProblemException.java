package dev.errand.internal.problem;

/**
 * A REST error that the client can act on; rendered as problem JSON with this status.
 * {@code type} is a short slug such as {@code invalid-csv}, made into a URI under {@code /problems/}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status, was " + status);
        }
        this.status = status;
        this.type = type;
        this.title = title;
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
}
