package dev.errand;

/**
 * Thrown by a handler when retrying cannot help (a validation answer from downstream, say): the
 * message is dead-lettered at once.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
