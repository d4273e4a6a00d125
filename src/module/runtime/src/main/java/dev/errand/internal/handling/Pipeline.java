package dev.errand.internal.handling;

import java.time.Clock;

import jakarta.inject.Singleton;

import dev.errand.Steps;
import dev.errand.internal.broker.BrokerProbe;
import dev.errand.internal.contract.EnvelopeReader;
import dev.errand.internal.database.DatabaseOutage;
import dev.errand.internal.flow.BackgroundPermits;
import dev.errand.internal.idempotency.IdempotentExecutor;
import dev.errand.internal.metrics.ErrandMetrics;
import dev.errand.internal.tracing.Tracing;
import dev.errand.internal.trust.MessageAdmission;

/**
 * The stages every consumer's messages go through, one after the other: admission (who wrote it),
 * the contract (what it says), the idempotent run (once, with its marker), settling (accept, retry,
 * dead-letter); and what watches them (meters, spans). One for the service; each {@link Consumer}
 * runs its messages through it with its own settings. A {@code @Singleton}: consumers read its fields,
 * which a client proxy would not carry.
 */
@Singleton
public class Pipeline {

    final EnvelopeReader reader;
    final MessageAdmission admission;
    final IdempotentExecutor idempotent;
    final Settler settler;
    final ErrandMetrics metrics;
    final Tracing tracing;
    final BrokerProbe broker;
    final Steps steps;
    final BreakerBinding breakers;
    final ConsumerPolicies policies;
    final BackgroundPermits background;
    final DatabaseOutage outage;
    final LateCopies lateCopies;
    final Clock clock = Clock.systemUTC();

    Pipeline(EnvelopeReader reader, MessageAdmission admission, IdempotentExecutor idempotent, Settler settler,
            ErrandMetrics metrics, Tracing tracing, BrokerProbe broker, Steps steps, BreakerBinding breakers,
            ConsumerPolicies policies, BackgroundPermits background, DatabaseOutage outage,
            LateCopies lateCopies) {
        this.reader = reader;
        this.admission = admission;
        this.idempotent = idempotent;
        this.settler = settler;
        this.metrics = metrics;
        this.tracing = tracing;
        this.broker = broker;
        this.steps = steps;
        this.breakers = breakers;
        this.policies = policies;
        this.background = background;
        this.outage = outage;
        this.lateCopies = lateCopies;
    }
}
