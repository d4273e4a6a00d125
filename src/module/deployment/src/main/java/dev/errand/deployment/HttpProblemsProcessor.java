package dev.errand.deployment;

import dev.errand.internal.web.HttpBuildTimeConfig;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.SystemPropertyBuildItem;

/**
 * With {@code errand.http.all-endpoints=true} (read when the service is built), a request URI that
 * cannot be parsed answers a 400 problem rather than Quarkus's empty 400. Quarkus checks the URI in
 * the server's first handler, before any route, and answers there; the check moves into Errand's
 * route ({@code EarlyProblems}), which answers as Quarkus did for everything else. Quarkus reads the
 * switch when its HTTP recorder is first loaded, which is after the build's system properties are set.
 */
class HttpProblemsProcessor {

    static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

    @BuildStep
    void uriValidationAnswersProblems(HttpBuildTimeConfig http, BuildProducer<SystemPropertyBuildItem> properties) {
        if (http.allEndpoints()) {
            properties.produce(new SystemPropertyBuildItem(DISABLE_URI_VALIDATION, "true"));
        }
    }
}
