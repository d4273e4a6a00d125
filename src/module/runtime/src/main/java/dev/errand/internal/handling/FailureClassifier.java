package dev.errand.internal.handling;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import dev.errand.PermanentFailure;
import dev.errand.internal.contract.ContractViolation;

/**
 * Tells transient failures (retry) from permanent ones (dead-letter at once). Permanent are
 * {@link PermanentFailure}, {@link ContractViolation}, SQL errors of class 22 (data exception) or 23
 * (integrity constraint violation), and the configured classes, anywhere in the cause chain;
 * everything else is transient. A configured transient class anywhere in the chain wins over all of
 * these: a handler can say "this wrapper is always worth retrying" whatever it wraps.
 */
public final class FailureClassifier {

    private static final Logger LOG = Logger.getLogger(FailureClassifier.class);

    private final List<Class<?>> permanent;
    private final List<Class<?>> transients;

    public FailureClassifier(List<String> permanentClassNames) {
        this(permanentClassNames, List.of());
    }

    public FailureClassifier(List<String> permanentClassNames, List<String> transientClassNames) {
        List<Class<?>> classes = new ArrayList<>(List.of(PermanentFailure.class, ContractViolation.class));
        classes.addAll(load(permanentClassNames));
        this.permanent = List.copyOf(classes);
        this.transients = load(transientClassNames);
    }

    private static List<Class<?>> load(List<String> names) {
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : names) {
            try {
                classes.add(Class.forName(name.trim(), false, loader));
            } catch (ClassNotFoundException e) {
                // A class that is not on the classpath can never be thrown, so it cannot matter.
                LOG.debugf("Exception class %s is not on the classpath", name);
            }
        }
        return List.copyOf(classes);
    }

    public boolean isPermanent(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<?> type : transients) {
                if (type.isInstance(t)) {
                    return false;
                }
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isDataOrConstraintError(sql.getSQLState())) {
                return true;
            }
            for (Class<?> type : permanent) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The same statement with the same data fails the same way however often it is retried. */
    private static boolean isDataOrConstraintError(String sqlState) {
        return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"));
    }

    public boolean isTransient(Throwable error) {
        return !isPermanent(error);
    }
}
