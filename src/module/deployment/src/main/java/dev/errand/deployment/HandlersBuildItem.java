package dev.errand.deployment;

import java.util.List;

import io.quarkus.builder.item.SimpleBuildItem;

/** Every annotated handler of the service, checked. */
public final class HandlersBuildItem extends SimpleBuildItem {

    private final List<HandlerMethod> handlers;

    HandlersBuildItem(List<HandlerMethod> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    List<HandlerMethod> handlers() {
        return handlers;
    }
}
