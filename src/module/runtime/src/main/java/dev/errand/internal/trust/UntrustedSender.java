package dev.errand.internal.trust;

/** A message from outside the service on a consumer that takes only the service's own: never processed. */
public final class UntrustedSender extends RuntimeException {

    public UntrustedSender(String consumer) {
        super("the message is not signed by this service, and consumer " + consumer + " takes no messages from"
                + " outside senders (@OutsideSenders, or errand.consumers.\"" + consumer + "\".outside-senders=true)");
    }
}
