package dev.errand.internal.handling;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.metrics.ErrandMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A consumer's gauges: {@code errand.consumer.running}, {@code .waiting}, {@code .concurrency.limit}
 * and {@code .paused} (1 while paused for any reason), tag {@code consumer}.
 */
@ApplicationScoped
class ConsumerGauges {

    private final ErrandMetrics metrics;

    ConsumerGauges(ErrandMetrics metrics) {
        this.metrics = metrics;
    }

    void register(ChannelDispatcher<?> dispatcher) {
        MeterRegistry registry = metrics.registry();
        Tags tags = Tags.of("consumer", dispatcher.channel());
        Gauge.builder("errand.consumer.running", dispatcher, d -> d.view().running()).tags(tags)
                .description("Messages being handled now").register(registry);
        Gauge.builder("errand.consumer.waiting", dispatcher, d -> d.view().waiting()).tags(tags)
                .description("Messages taken from the broker, waiting for their turn").register(registry);
        Gauge.builder("errand.consumer.concurrency.limit", dispatcher, d -> d.view().concurrencyLimit()).tags(tags)
                .description("Messages it may handle at once (adaptive or fixed)").register(registry);
        Gauge.builder("errand.consumer.paused", dispatcher, d -> d.view().pausedFor().isEmpty() ? 0 : 1).tags(tags)
                .description("1 while the consumer is paused (open breaker, rate limit, shutdown)").register(registry);
    }
}
