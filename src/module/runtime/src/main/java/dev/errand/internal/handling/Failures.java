package dev.errand.internal.handling;

/** Walks cause chains. */
final class Failures {

    /** Wraps the failure of a message's last allowed attempt, so no in-process retry follows it. */
    static final class OutOfAttempts extends RuntimeException {
        OutOfAttempts(Throwable cause) {
            super("no attempts left", cause, false, false);
        }
    }

    private Failures() {
    }

    static <E extends Throwable> E find(Throwable error, Class<E> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof OutOfAttempts
                || t instanceof java.util.concurrent.ExecutionException
                || t instanceof io.quarkus.narayana.jta.QuarkusTransactionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
