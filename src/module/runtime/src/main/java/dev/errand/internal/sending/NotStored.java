package dev.errand.internal.sending;

/**
 * The broker did not store a message: it refused it (rejected, released or modified it, e.g. for want
 * of send permission on the address or room there), or could not be reached. Names the address, with
 * the broker's own reason as the cause's message.
 */
public class NotStored extends RuntimeException {

    private final String address;

    public NotStored(String address, Throwable cause) {
        super("not stored on " + address + ": " + cause.getMessage(), cause);
        this.address = address;
    }

    public String address() {
        return address;
    }
}
