package dev.errand.internal.functions;

import dev.errand.PermanentFailure;

/**
 * A workflow's code no longer does what it did when its steps were recorded (it was changed while
 * the workflow ran, or it is not deterministic). Resuming would feed recorded results to the wrong
 * steps, so the call fails at once, with both names in its dead letter.
 */
public class NonDeterministicWorkflow extends PermanentFailure {

    public NonDeterministicWorkflow(String message) {
        super(message);
    }
}
