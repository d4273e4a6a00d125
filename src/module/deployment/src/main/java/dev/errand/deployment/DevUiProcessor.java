package dev.errand.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.errand.internal.devui.ErrandDevUiService;
import dev.errand.internal.functions.FunctionSpec;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * Errand's card in the Dev UI ({@code /q/dev-ui}, {@code quarkus dev} only). What the build found (the
 * handlers with their channels, settings and breakers; the subscriptions; the durable functions,
 * workflows and schedules) is handed to the pages as build-time data; what changes while the service
 * runs (consumers, dead letters, workflows and their steps) they ask {@link ErrandDevUiService} for.
 */
class DevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card(HandlersBuildItem handlers, FunctionsBuildItem functions, CombinedIndexBuildItem index) {
        CardPageBuildItem card = new CardPageBuildItem();
        List<Map<String, Object>> handlerData = new ArrayList<>();
        List<Map<String, Object>> subscriptionData = new ArrayList<>();
        for (HandlerMethod handler : handlers.handlers()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("channel", handler.channel());
            data.put("queue", ErrandProcessor.queueOf(handler));
            data.put("handler", handler.describe());
            data.put("payload", handler.payload().name().toString());
            data.put("breakers", handler.breakers());
            data.put("settings", ErrandProcessor.consumerDefaults(handler));
            data.put("subscribes", handler.subscribes());
            handlerData.add(data);
            if (handler.subscriber()) {
                subscriptionData.add(Map.of("channel", handler.channel(), "types", handler.subscribes(),
                        "handler", handler.describe()));
            }
        }
        List<Map<String, Object>> functionData = new ArrayList<>();
        for (FunctionMethod function : functions.functions()) {
            FunctionSpec spec = function.spec();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", spec.name());
            data.put("kind", spec.workflow() ? "workflow" : "function");
            data.put("method", spec.beanClass() + "#" + spec.method());
            data.put("channel", spec.channel());
            data.put("queue", spec.queue());
            data.put("timeout", spec.timeout() == null ? "" : spec.timeout().toString());
            data.put("outsideSignals", spec.outsideSignals());
            data.put("breakers", function.consumer().breakers());
            data.put("settings", ErrandProcessor.consumerDefaults(function.consumer()));
            functionData.add(data);
        }
        List<Map<String, Object>> scheduleData = new ArrayList<>();
        for (ScheduleProcessor.ScheduleMethod schedule : ScheduleProcessor.find(index.getIndex())) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", schedule.name());
            data.put("method", schedule.where());
            data.put("every", schedule.every());
            data.put("cron", schedule.cron());
            data.put("zone", schedule.zone());
            data.put("missed", schedule.missed());
            scheduleData.add(data);
        }
        card.addBuildTimeData("handlers", handlerData);
        card.addBuildTimeData("subscriptions", subscriptionData);
        card.addBuildTimeData("functions", functionData);
        card.addBuildTimeData("schedules", scheduleData);

        card.addPage(Page.webComponentPageBuilder().title("Handlers").icon("font-awesome-solid:inbox")
                .componentLink("qwc-errand-handlers.js").staticLabel(String.valueOf(handlerData.size())));
        card.addPage(Page.webComponentPageBuilder().title("Functions").icon("font-awesome-solid:diagram-project")
                .componentLink("qwc-errand-functions.js")
                .staticLabel(functionData.size() + " / " + scheduleData.size()));
        card.addPage(Page.webComponentPageBuilder().title("Consumers").icon("font-awesome-solid:gauge")
                .componentLink("qwc-errand-consumers.js"));
        card.addPage(Page.webComponentPageBuilder().title("Dead letters").icon("font-awesome-solid:skull")
                .componentLink("qwc-errand-dead-letters.js"));
        card.addPage(Page.webComponentPageBuilder().title("Workflows").icon("font-awesome-solid:list-check")
                .componentLink("qwc-errand-workflows.js"));
        return card;
    }

    @BuildStep(onlyIf = IsDevelopment.class)
    JsonRPCProvidersBuildItem service() {
        return new JsonRPCProvidersBuildItem(ErrandDevUiService.class);
    }
}
