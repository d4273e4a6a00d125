package dev.errand.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded servers' settings (dev.errand:errand-embedded), read by the launcher before Quarkus
 * starts; listed here so that they are documented and validated with the rest. Under
 * {@code errand.embedded}, not {@code errand}: Quarkus warns of every key it does not know under a
 * root's prefix, and a service may keep settings of its own under {@code errand.} (the demo does).
 */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "errand.embedded")
public interface EmbeddedConfig {

    /** Defaults the embedded servers' launcher also reads before Quarkus starts. */
    String DEFAULT_DATA_DIR = DataDirConfig.DEFAULT_DATA_DIR;
    String DEFAULT_AMQP_PORT = "5672";

    /** Port of the embedded broker's AMQP 1.0 acceptor, bound to 127.0.0.1. */
    @WithDefault(DEFAULT_AMQP_PORT)
    int amqpPort();

    /**
     * Port of an AMQPS acceptor, bound to 127.0.0.1; set, it is the broker's only acceptor (the plain one
     * closes) and the service connects over TLS, trusting the broker's self-signed certificate, made at
     * the first start in {@code <data-dir>/tls/broker.crt}. 0 picks a free port.
     */
    Optional<Integer> amqpsPort();

    /**
     * Durable queues the embedded broker declares at start, besides the dead-letter queue. Not needed:
     * it creates a queue (anycast, durable) when a consumer or a producer first uses it.
     */
    Optional<List<String>> queues();

    /**
     * How much of the heap the embedded broker may fill with queued messages, all queues together
     * (Artemis' {@code global-max-size}, e.g. {@code 64M}); past it, new messages page to disk and are read
     * back as the consumers drain. Unset: an eighth of the maximum heap ({@code -Xmx}).
     */
    Optional<MemorySize> brokerMemory();

    /**
     * The embedded PostgreSQL restarts itself when it dies; dead for longer than this (every restart
     * failed), the liveness check says DOWN, so that the platform restarts the whole process.
     */
    @WithDefault("1m")
    Duration databaseDownTimeout();
}
