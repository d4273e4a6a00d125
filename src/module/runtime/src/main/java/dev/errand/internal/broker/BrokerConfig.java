package dev.errand.internal.broker;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Errand addresses the broker and reads its queues. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.broker")
public interface BrokerConfig {
    /**
     * Put before a queue name in the addresses Errand sends to: {@code /amq/queue/} on RabbitMQ,
     * whose AMQP 1.0 plugin routes {@code /amq/queue/<name>} to an existing durable queue. An
     * address already starting with {@code /} is sent to as it is.
     */
    Optional<String> addressPrefix();

    /**
     * RabbitMQ's management HTTP API, e.g. {@code http://rabbitmq:15672}: where Errand reads queue
     * depths (backpressure, metrics, dashboard) and the queues' arguments, with the AMQP user, who
     * needs the {@code monitoring} tag. Unset on RabbitMQ: no depths, so backpressure admits.
     * Artemis answers the same questions over AMQP and needs nothing here.
     */
    Optional<URI> managementUrl();

    /**
     * The name of a Quarkus TLS configuration ({@code quarkus.tls.<name>.*}) for AMQPS: set, every
     * connection to the broker (the connector's and Errand's own) uses TLS, trusts what that
     * configuration trusts and checks the broker's host name. Cloud brokers need it; a broker with a
     * certificate from a public authority needs only {@code quarkus.tls.<name>.trust-store} unset
     * (the JDK's authorities). Unset: plain AMQP.
     */
    Optional<String> tlsConfigurationName();

    /**
     * RabbitMQ's {@code collect_statistics_interval}: depths read from its management API are up
     * to about twice this old, so backpressure also counts this instance's net flow within that
     * time (plus 2 s). Artemis answers with live figures and ignores it.
     */
    @WithDefault("5s")
    Duration statisticsInterval();

    /**
     * How the connector gives a message back when Errand nacks it (every handler channel's
     * {@code failure-strategy}): {@code modified-failed} on Artemis, which redelivers it later;
     * {@code release} on RabbitMQ, whose AMQP 1.0 plugin closes the session on "modified".
     */
    @WithDefault("modified-failed")
    String failureStrategy();

    /**
     * The connector of every handler's channel and of the dead-letter recorder: {@code smallrye-amqp}
     * on Artemis; {@code errand-amqp} on RabbitMQ (the {@code rabbitmq} profile sets it), Errand's
     * receiver that grants credit in batches, because RabbitMQ 3.x's plugin over-delivers to the
     * connector's receiver until one consumer holds the whole queue. Its batch is a channel's
     * {@code credit} (256).
     */
    @WithDefault("smallrye-amqp")
    String inboundConnector();

    /**
     * Put before a subscription queue's name ({@code errand.events.<subscriber>}) to make a
     * subscriber's address: {@code errand.events::}, Artemis' fully qualified form on the events
     * address; {@code /amq/queue/} in profile {@code rabbitmq}.
     */
    @WithDefault("errand.events::")
    String subscriptionAddressPrefix();

    /** The link capability of a subscriber: {@code topic} on Artemis (a MULTICAST queue), {@code queue} on RabbitMQ. */
    @WithDefault("topic")
    String subscriptionCapabilities();

    /**
     * The Artemis role of outside senders ({@code errand-sender} on the embedded broker, which sets it).
     * When set, Errand grants that role, over Artemis' management at start, send on the queues of the
     * consumers that take outside senders ({@code @OutsideSenders}) and takes it back from every other
     * queue of this service; the broker must give the role nothing by default ({@code #}). Unset: the
     * broker's own configuration decides ({@code broker.xml}, RabbitMQ's definitions; see
     * docs/operations/security.md).
     */
    Optional<String> senderRole();

    /** The Artemis role of the service's own broker user, which keeps every permission on the queues granted above. */
    @WithDefault("errand")
    String serviceRole();

    /** The RabbitMQ virtual host of Errand's queues, for the management API. */
    @WithDefault("/")
    String vhost();
}
