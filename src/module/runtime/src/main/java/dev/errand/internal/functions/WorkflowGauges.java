package dev.errand.internal.functions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.errand.internal.metrics.WorkflowMetrics;
import io.quarkus.runtime.StartupEvent;

/**
 * Gives every workflow function of the service its waiting and overdue gauges at start-up, at 0, so
 * that a dashboard shows it and an alert reads a series before any run of it has waited.
 */
@ApplicationScoped
class WorkflowGauges {

    private final FunctionCatalog catalog;
    private final WorkflowMetrics metrics;

    WorkflowGauges(FunctionCatalog catalog, WorkflowMetrics metrics) {
        this.catalog = catalog;
        this.metrics = metrics;
    }

    // After the catalog's own start-up observer (LIBRARY_BEFORE - 200), which resolves the functions.
    void register(@Observes StartupEvent start) {
        catalog.functions().stream().filter(FunctionCatalog.Function::workflow)
                .forEach(function -> metrics.gauges(function.name()));
    }
}
