package dev.errand.deployment;

import java.util.List;

import io.quarkus.builder.item.SimpleBuildItem;

/** The durable functions and workflows of the service. */
public final class FunctionsBuildItem extends SimpleBuildItem {

    private final List<FunctionMethod> functions;

    FunctionsBuildItem(List<FunctionMethod> functions) {
        this.functions = List.copyOf(functions);
    }

    List<FunctionMethod> functions() {
        return functions;
    }
}
