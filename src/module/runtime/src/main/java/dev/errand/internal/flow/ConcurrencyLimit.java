package dev.errand.internal.flow;

/** How many messages of one consumer may run at once. */
public interface ConcurrencyLimit {

    /** The limit now. */
    int current();

    /**
     * Learns from one finished message.
     *
     * @param latencyNanos how long it ran
     * @param overloaded   whether downstream pushed back (429, 5xx, timeouts) while it ran
     */
    void record(long latencyNanos, boolean overloaded);

    static ConcurrencyLimit fixed(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + limit);
        }
        return new ConcurrencyLimit() {
            @Override
            public int current() {
                return limit;
            }

            @Override
            public void record(long latencyNanos, boolean overloaded) {
            }
        };
    }
}
