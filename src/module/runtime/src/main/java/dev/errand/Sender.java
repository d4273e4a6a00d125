package dev.errand;

import java.util.concurrent.CompletionStage;

/**
 * Sends a message now, outside any transaction, signed as the service's own. Use the {@link Outbox}
 * when the message must commit with data; use this for work that is its own record, such as a
 * producer that sends a stored list in batches and records how far it got once the broker confirms.
 */
public interface Sender {

    /**
     * Sends one message.
     *
     * @return completes when the broker has accepted the message, or fails when it has not
     */
    CompletionStage<Void> send(OutboundMessage message);
}
