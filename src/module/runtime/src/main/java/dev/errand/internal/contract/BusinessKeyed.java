package dev.errand.internal.contract;

import dev.errand.WireContract;

/**
 * A payload that is given its message's business key ({@link WireContract#BUSINESS_KEY}), an application
 * property rather than part of the body: a durable call's start. The reader hands it over as the message
 * carries it (from outside, after {@code MessageAdmission} kept it as a request); the payload's consumer
 * decides what it may mean.
 *
 * @param <T> the payload's own type
 */
public interface BusinessKeyed<T> {

    /** The same payload with the message's business key. */
    T withBusinessKey(String businessKey);
}
