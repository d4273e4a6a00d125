package dev.errand.apps.simulator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.errand.ProblemException;
import dev.errand.apps.orders.PaymentWebhookSecret;

/**
 * How the simulated payment provider confirms the payments it was asked for: it calls the service's webhook
 * after {@code webhookDelay} (on time), after {@code lateDelay} (late: past the order's due time), twice
 * (the same payment again a moment later, as a provider that got no answer in time does), or never. The
 * calls it has planned are in memory: a restart of the service forgets them, as a provider that gave up.
 */
@Singleton
public class PaymentWebhooks {

    private static final Logger LOG = Logger.getLogger(PaymentWebhooks.class);

    /** How a payment is confirmed. */
    public enum Mode {
        ON_TIME,
        LATE,
        TWICE,
        NEVER
    }

    /** The webhook behaviour now. */
    public record Settings(Mode mode, long delayMs, long lateDelayMs) {
        public Settings {
            if (mode == null) {
                throw invalid("mode is one of ON_TIME, LATE, TWICE, NEVER");
            }
            if (delayMs < 0 || delayMs > 86_400_000 || lateDelayMs < 0 || lateDelayMs > 86_400_000) {
                throw invalid("delayMs and lateDelayMs are 0 to 86400000 (a day)");
            }
        }

        /** When the confirmations of one payment are sent, from now; none for NEVER. */
        Duration[] delays() {
            return switch (mode) {
                case ON_TIME -> new Duration[] { Duration.ofMillis(delayMs) };
                case LATE -> new Duration[] { Duration.ofMillis(lateDelayMs) };
                case TWICE -> new Duration[] { Duration.ofMillis(delayMs), Duration.ofMillis(delayMs + 200) };
                case NEVER -> new Duration[0];
            };
        }
    }

    /** A partial update: the fields given replace these, the others stay. */
    public record Update(Mode mode, Long delayMs, Long lateDelayMs) {
        Settings applyTo(Settings current) {
            return new Settings(mode == null ? current.mode() : mode, delayMs == null ? current.delayMs() : delayMs,
                    lateDelayMs == null ? current.lateDelayMs() : lateDelayMs);
        }
    }

    /**
     * The webhook calls since the last reset, by the service's answer: accepted (202), repeats (200),
     * refused (another 4xx: the order waited no more, say) and failed (5xx, or unreachable).
     */
    public record Counts(long planned, long sent, long accepted, long repeats, long refused, long failed) {
    }

    private final Settings initial;
    private final AtomicReference<Settings> current;
    private final PaymentWebhookClient client;
    // A real provider is given the shop's secret out of band; the simulator, in the shop's own process, reads
    // it from there, so a secret generated at start (none configured) works too.
    private final PaymentWebhookSecret secret;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "payment-simulator-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong planned = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public PaymentWebhooks(PaymentSimulatorConfig config, @RestClient PaymentWebhookClient client,
            PaymentWebhookSecret secret) {
        this.initial = new Settings(config.webhook(), config.webhookDelay().toMillis(), config.lateDelay().toMillis());
        this.current = new AtomicReference<>(initial);
        this.client = client;
        this.secret = secret;
    }

    public Settings settings() {
        return current.get();
    }

    public Settings update(Update update) {
        return current.updateAndGet(update::applyTo);
    }

    /** Plans the confirmations of a new payment, as the settings say now. */
    public void plan(PaymentLedger.Intent payment) {
        for (Duration delay : current.get().delays()) {
            planned.incrementAndGet();
            timer.schedule(() -> send(payment), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void send(PaymentLedger.Intent payment) {
        sent.incrementAndGet();
        try (Response response = client.confirmed(payment.orderId(), secret.value(),
                new PaymentWebhookClient.Confirmed(payment.paymentId(), payment.amountCents()))) {
            int status = response.getStatus();
            (status == 202 ? accepted : status == 200 ? repeats : status < 500 ? refused : failed).incrementAndGet();
            LOG.debugf("webhook for order %s, payment %s: %s", (Object) payment.orderId(), payment.paymentId(), status);
        } catch (ProcessingException | jakarta.ws.rs.WebApplicationException e) {
            failed.incrementAndGet();
            LOG.infof("webhook for order %s, payment %s failed: %s", (Object) payment.orderId(), payment.paymentId(), e);
        }
    }

    public Counts counts() {
        return new Counts(planned.get(), sent.get(), accepted.get(), repeats.get(), refused.get(), failed.get());
    }

    /** Back to the configured behaviour, counters at zero; planned calls are still sent. */
    public void reset() {
        current.set(initial);
        planned.set(0);
        sent.set(0);
        accepted.set(0);
        repeats.set(0);
        refused.set(0);
        failed.set(0);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-simulator-config", "Invalid simulator configuration", detail);
    }
}
