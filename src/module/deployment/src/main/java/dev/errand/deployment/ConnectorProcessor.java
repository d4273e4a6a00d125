package dev.errand.deployment;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.errand.internal.receiving.BatchedCreditConnector;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.smallrye.reactivemessaging.deployment.ReactiveMessagingBuildTimeConfig;
import io.quarkus.smallrye.reactivemessaging.deployment.items.ChannelDirection;
import io.quarkus.smallrye.reactivemessaging.deployment.items.ConnectorBuildItem;
import io.quarkus.smallrye.reactivemessaging.deployment.items.ConnectorManagedChannelBuildItem;
import io.quarkus.smallrye.reactivemessaging.deployment.items.OrphanChannelBuildItem;

/**
 * Keeps the host's channels as they would be without Errand's {@value BatchedCreditConnector#NAME}
 * connector. Quarkus attaches unconfigured incoming channels to the only incoming connector there
 * is; Errand's adds a second one, which would leave them unattached. So, where Quarkus would have
 * attached them, this does, to the same connector.
 */
class ConnectorProcessor {

    private static final Logger LOG = Logger.getLogger(ConnectorProcessor.class);

    @BuildStep
    void attachHostOrphansAsQuarkusWould(ReactiveMessagingBuildTimeConfig messaging, HandlersBuildItem handlers,
            List<ConnectorBuildItem> connectors, List<OrphanChannelBuildItem> orphans,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults,
            BuildProducer<ConnectorManagedChannelBuildItem> managed) {
        Set<String> incoming = connectors.stream().filter(c -> c.getDirection() == ChannelDirection.INCOMING)
                .map(ConnectorBuildItem::getName).filter(name -> !name.equals(BatchedCreditConnector.NAME))
                .collect(Collectors.toCollection(TreeSet::new));
        boolean quarkusWould = messaging.autoConnectorAttachment() && incoming.size() == 1
                && connectors.stream().anyMatch(c -> c.getName().equals(BatchedCreditConnector.NAME));
        if (!quarkusWould) {
            return;
        }
        String connector = incoming.iterator().next();
        // Errand's handlers' channels have their connector already (ErrandProcessor.channelDefaults).
        Set<String> errands = handlers.handlers().stream().map(HandlerMethod::channel).collect(Collectors.toSet());
        for (OrphanChannelBuildItem orphan : orphans) {
            if (orphan.getDirection() != ChannelDirection.INCOMING || errands.contains(orphan.getName())) {
                continue;
            }
            defaults.produce(new RunTimeConfigurationDefaultBuildItem(
                    "mp.messaging.incoming." + orphan.getName() + ".connector", connector));
            managed.produce(new ConnectorManagedChannelBuildItem(orphan.getName(), ChannelDirection.INCOMING, connector));
            LOG.infof("Configuring the channel '%s' to be managed by the connector '%s'", orphan.getName(), connector);
        }
    }
}
