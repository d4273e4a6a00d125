package dev.errand.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs on RabbitMQ too ({@code ./mvnw verify -Pbroker-rabbitmq} selects this tag).
 * Classes without it test what RabbitMQ does not offer or does otherwise; each says why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(BothBrokers.TAG)
public @interface BothBrokers {

    String TAG = "both-brokers";
}
