package dev.errand;

/**
 * Signals: what a waiting workflow hears from outside it (a webhook, a person's approval). A workflow
 * waits for one by name with {@link Workflow#awaitSignal}; anything in the service sends one here.
 * <pre>{@code
 * @Transactional
 * public void confirmed(long orderId, String paymentId) {
 *     Payment.record(orderId, paymentId);                                   // your data
 *     signals.send(workflowIdOf(orderId), "payment", paymentId, new Paid(paymentId));   // the same commit
 * }
 * }</pre>
 * <ul>
 * <li>The signal is recorded in the caller's transaction (one of its own when there is none), with the
 * wake-up of the workflow: the caller's data and the signal commit together or not at all.</li>
 * <li>A signal sent before the workflow waits for it is kept, and taken by the first wait of its name.</li>
 * <li>One signal id counts once per workflow: sending it again changes nothing.</li>
 * </ul>
 */
public interface Signals {

    /** The most characters of a signal's name and of its id. */
    int MAX_LENGTH = 200;

    /**
     * Sends a signal to a workflow.
     *
     * @param callId   the workflow's call id
     * @param name     what the workflow waits for ({@link Workflow#awaitSignal}'s name)
     * @param signalId identifies this signal: a repeat with the same id is one signal (a webhook's delivery
     *                 id, a payment id...)
     * @param payload  what the wait returns; written as JSON
     * @return true when the signal is kept; false when one with this id had been sent to this workflow
     * @throws Refused                  when there is no such workflow, or it has finished
     * @throws IllegalArgumentException when the name or the id is blank, too long, or the payload is not JSON
     */
    boolean send(String callId, String name, String signalId, Object payload);

    /** A signal no workflow can take: nothing was recorded. */
    final class Refused extends RuntimeException {

        /** Why a signal was refused. */
        public enum Reason {
            /** No workflow has this call id (or the call is a plain function). */
            NO_SUCH_WORKFLOW,
            /** The workflow has finished: nothing would ever take the signal. */
            FINISHED
        }

        private final Reason reason;

        public Refused(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
