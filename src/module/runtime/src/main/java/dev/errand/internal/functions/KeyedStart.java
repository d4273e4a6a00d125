package dev.errand.internal.functions;

import dev.errand.WireContract;
import dev.errand.internal.contract.SafeText;

/**
 * A business key that the next durable call on this thread is recorded under: set by
 * {@link CallStarter#startOnce} around the code that makes the call, taken by {@link CallStarter#start}
 * when the call's interceptor records it. A thread-local, because the call is made through the function's
 * own bean method, whose parameters are the function's and nothing else.
 */
final class KeyedStart {

    private static final ThreadScope<KeyedStart> CURRENT = new ThreadScope<>();

    final String key;
    /** The handle's id, once the call is recorded or found under the key. */
    private String callId;

    private KeyedStart(String key) {
        this.key = key;
    }

    /** The key set on this thread, if any: what {@link #end} puts back. */
    static KeyedStart current() {
        return CURRENT.current();
    }

    /** Keys the next durable call on this thread. */
    static KeyedStart begin(String key) {
        KeyedStart started = new KeyedStart(key);
        CURRENT.enter(started);
        return started;
    }

    /** Puts back the key that was set before {@link #begin} (null: none). */
    static void end(KeyedStart previous) {
        CURRENT.leave(previous);
    }

    /**
     * The key for the durable call about to be recorded, or null when none was asked for.
     *
     * @throws IllegalStateException when its start already made its one call
     */
    static KeyedStart take() {
        KeyedStart keyed = CURRENT.current();
        if (keyed != null && keyed.callId != null) {
            throw new IllegalStateException("startOnce(\"" + keyed.key + "\", ...) starts one durable call, and its"
                    + " code made a second one; make the others outside it");
        }
        return keyed;
    }

    void started(String id) {
        callId = id;
    }

    /** Null until the call is recorded or found. */
    String callId() {
        return callId;
    }

    /**
     * What is wrong with a business key, from the service or from outside: null when nothing. Keys are
     * stored, shown and logged, so they are printable text of bounded length.
     */
    static String problem(String key) {
        if (key == null) {
            return "a business key is required";
        }
        if (key.isBlank()) {
            return "a business key may not be blank";
        }
        if (key.length() > WireContract.MAX_BUSINESS_KEY_LENGTH) {
            return "a business key is at most " + WireContract.MAX_BUSINESS_KEY_LENGTH + " characters, was "
                    + key.length();
        }
        int control = SafeText.firstControl(key);
        if (control >= 0) {
            return "a business key may not contain the control character U+"
                    + String.format("%04X", (int) key.charAt(control)) + " (at index " + control + ")";
        }
        if (SafeText.firstUnsafe(key) >= 0) {
            return "a business key must be valid Unicode text: it contains an unpaired surrogate";
        }
        return null;
    }

    /** {@link #problem}, and the service may not take an outside sender's keys. */
    static String serviceKeyProblem(String key) {
        String problem = problem(key);
        if (problem == null && key.startsWith(WireContract.OUTSIDE_ID_PREFIX)) {
            return "business keys beginning with \"" + WireContract.OUTSIDE_ID_PREFIX + "\" are outside senders'"
                    + " (errand_business_key); the service's own may not begin with it, was \"" + key + "\"";
        }
        return problem;
    }
}
