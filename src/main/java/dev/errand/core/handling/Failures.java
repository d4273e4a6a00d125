package dev.errand.core.handling;

/** Walks cause chains. */
final class Failures {

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
                || t instanceof java.util.concurrent.ExecutionException
                || t instanceof io.quarkus.narayana.jta.QuarkusTransactionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
