package dev.errand.internal.receiving;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import dev.errand.internal.broker.BrokerClients;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.health.HealthReporter;
import io.vertx.core.Vertx;

/**
 * The {@value #NAME} connector: incoming channels over {@link BatchedCreditReceiver}, for RabbitMQ
 * (Errand's {@code rabbitmq} profile selects it for every handler's channel). It reads the channel
 * settings the SmallRye AMQP connector reads ({@code address}, {@code capabilities},
 * {@code failure-strategy}, {@code reconnect-interval}) plus {@code credit}, the batch size (256),
 * and connects with Errand's broker settings ({@code amqp-host}, {@code amqp-port}, credentials,
 * {@code errand.broker.tls-configuration-name}).
 * <p>
 * A second incoming connector would stop Quarkus attaching the host's unconfigured channels to AMQP;
 * Errand's deployment attaches them as Quarkus would have ({@code ConnectorProcessor}).
 */
@ApplicationScoped
@Connector(BatchedCreditConnector.NAME)
public class BatchedCreditConnector implements InboundConnector, HealthReporter {

    public static final String NAME = "errand-amqp";
    static final int DEFAULT_CREDIT = 256;

    private final Vertx vertx;
    private final Config config;
    private final List<BatchedCreditReceiver> receivers = new CopyOnWriteArrayList<>();

    public BatchedCreditConnector(Vertx vertx, Config config) {
        this.vertx = vertx;
        this.config = config;
    }

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config channel) {
        String name = channel.getValue("channel-name", String.class);
        Symbol[] capabilities = channel.getOptionalValue("capabilities", String.class)
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(c -> !c.isEmpty())
                        .map(Symbol::valueOf).toArray(Symbol[]::new))
                .orElse(new Symbol[0]);
        BatchedCreditReceiver receiver = new BatchedCreditReceiver(vertx, BrokerClients.options(config), name,
                channel.getOptionalValue("address", String.class).orElse(name), capabilities,
                channel.getOptionalValue("credit", Integer.class).orElse(DEFAULT_CREDIT),
                Duration.ofSeconds(channel.getOptionalValue("reconnect-interval", Integer.class).orElse(1)),
                outcome(name, channel.getOptionalValue("failure-strategy", String.class).orElse("modified-failed")));
        receivers.add(receiver);
        return receiver.messages();
    }

    /** Ready while every channel's link is attached, as the SmallRye AMQP connector reports its own. */
    @Override
    public HealthReport getReadiness() {
        HealthReport.HealthReportBuilder report = HealthReport.builder();
        receivers.forEach(receiver -> report.add(receiver.channel(), receiver.attached(),
                receiver.attached() ? null : "no link to the broker; reconnecting"));
        return report.build();
    }

    /** Alive: a receiver never gives up, it reconnects until the broker is back. */
    @Override
    public HealthReport getLiveness() {
        HealthReport.HealthReportBuilder report = HealthReport.builder();
        receivers.forEach(receiver -> report.add(receiver.channel(), true));
        return report.build();
    }

    @PreDestroy
    void close() {
        receivers.forEach(BatchedCreditReceiver::close);
    }

    /** What a nacked message becomes, named as the SmallRye AMQP connector names its strategies. */
    static Supplier<DeliveryState> outcome(String channel, String strategy) {
        return switch (strategy.toLowerCase(Locale.ROOT)) {
            case "release" -> Released::getInstance;
            case "modified-failed" -> () -> modified(false);
            case "modified-failed-undeliverable-here" -> () -> modified(true);
            case "reject" -> Rejected::new;
            case "accept" -> Accepted::getInstance;
            default -> throw new IllegalArgumentException("failure-strategy of channel " + channel + " is '" + strategy
                    + "'; " + NAME + " knows release, modified-failed, modified-failed-undeliverable-here, reject and accept"
                    + " (fail would stop the channel for good, which Errand never wants)");
        };
    }

    private static Modified modified(boolean undeliverableHere) {
        Modified modified = new Modified();
        modified.setDeliveryFailed(true);
        modified.setUndeliverableHere(undeliverableHere);
        return modified;
    }
}
