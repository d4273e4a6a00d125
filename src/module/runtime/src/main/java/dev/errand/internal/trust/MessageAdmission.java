package dev.errand.internal.trust;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Origin;
import dev.errand.WireContract;
import dev.errand.internal.contract.Envelope;

/**
 * Decides who wrote a received message, before anything of it is trusted. A valid signature makes it
 * Errand's own copy: its properties (attempts, history) are facts and its origin is what Errand wrote on
 * it. Without one it comes from outside the service: Errand's own properties on it are the sender's say
 * and are dropped, all but the ordering key and the business key, which are requests, not facts (an outside
 * key's lane is kept apart from the service's, see {@code Delivery}, and so is an outside call's business
 * key, see {@code FunctionWorker}); and it is marked
 * {@code outside}, so that every copy Errand makes of it (a retry, a dead letter) stays outside.
 * The signature itself is removed either way: it is never recorded nor shown, so nobody can lift it.
 */
@ApplicationScoped
public class MessageAdmission {

    private static final String ERRAND_PREFIX = "errand_";

    private final MessageSigner signer;

    public MessageAdmission(MessageSigner signer) {
        this.signer = signer;
    }

    /** @throws RuntimeException when the signing key cannot be read (the database is down): try again later */
    public Envelope admit(Envelope envelope) {
        boolean signed = signer.verify(MessageSigner.Purpose.MESSAGE, envelope.messageId(), envelope.subject(),
                envelope.correlationId(), envelope.body(), envelope.properties());
        Map<String, Object> properties = new LinkedHashMap<>(envelope.properties());
        properties.remove(WireContract.SIGNATURE);
        if (signed) {
            Object origin = properties.get(WireContract.ORIGIN);
            return envelope.admitted(Origin.ofWireName(origin == null ? null : origin.toString()), properties);
        }
        properties.keySet().removeIf(name -> name.startsWith(ERRAND_PREFIX) && !name.equals(WireContract.ORDERING_KEY)
                && !name.equals(WireContract.BUSINESS_KEY));
        properties.put(WireContract.ORIGIN, Origin.OUTSIDE.wireName());
        return envelope.admitted(Origin.OUTSIDE, properties);
    }
}
