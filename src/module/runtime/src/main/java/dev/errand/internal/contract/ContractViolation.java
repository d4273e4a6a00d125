package dev.errand.internal.contract;

/** A message that does not follow the wire contract; it is dead-lettered at once, never retried. */
public class ContractViolation extends RuntimeException {

    public ContractViolation(String message) {
        super(message);
    }

    public ContractViolation(String message, Throwable cause) {
        super(message, cause);
    }
}
