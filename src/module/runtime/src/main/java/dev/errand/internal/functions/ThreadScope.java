package dev.errand.internal.functions;

/**
 * A value set on this thread around a piece of code and put back after it (nested scopes restore the
 * outer one): the call whose body runs here, the deadline or business key of the calls it starts. A
 * thread-local, because those calls go through the functions' own bean methods, whose parameters are the
 * functions' and nothing else.
 */
final class ThreadScope<T> {

    private final ThreadLocal<T> current = new ThreadLocal<>();

    /** The value set on this thread, or null. */
    T current() {
        return current.get();
    }

    /** Sets {@code value}; @return the one it replaces, for {@link #leave}. */
    T enter(T value) {
        T previous = current.get();
        current.set(value);
        return previous;
    }

    /** Puts back what {@link #enter} replaced. */
    void leave(T previous) {
        if (previous == null) {
            current.remove();
        } else {
            current.set(previous);
        }
    }
}
