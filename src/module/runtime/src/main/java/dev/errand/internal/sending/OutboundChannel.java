package dev.errand.internal.sending;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The connector's outbound channel ({@code use-anonymous-sender=true}), in a bean of its own so that
 * its emitter is created only when first used: on RabbitMQ the channel is disabled (the plugin would
 * reject its anonymous link) and the emitter cannot be created at all.
 */
@ApplicationScoped
class OutboundChannel {

    private final Emitter<Object> emitter;

    // The emitter buffers what the link has no credit for yet; callers bound what they have in flight.
    OutboundChannel(@Channel(ErrandSender.CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Object> emitter) {
        this.emitter = emitter;
    }

    Emitter<Object> emitter() {
        return emitter;
    }
}
