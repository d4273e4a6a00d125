package dev.errand.deployment.devui;

/** The payload of {@link Greeter}'s messages. */
public record Greeting(String name) {
}
