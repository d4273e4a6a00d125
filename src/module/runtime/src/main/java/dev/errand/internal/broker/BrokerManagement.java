package dev.errand.internal.broker;

/**
 * Questions about queues that only the broker can answer. Artemis answers them over AMQP
 * ({@link ArtemisManagement}), RabbitMQ through its management plugin's HTTP API
 * ({@link RabbitManagement}). Calls block for at most a few seconds; they throw {@link Refused}
 * when the broker answered no, and anything else when it could not be asked.
 */
public interface BrokerManagement extends AutoCloseable {

    /** Messages on the queue: waiting, in delivery and scheduled. */
    long depth(String queue) throws Exception;

    /** Everything Errand shows about the queue. */
    QueueState state(String queue) throws Exception;

    @Override
    void close();

    /** The broker answered, and said no: unknown queue, not permitted. The connection is fine. */
    final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
