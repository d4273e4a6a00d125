package dev.errand.testing.work;

import dev.errand.WireContract;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpMessageBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Builds test work messages as any sender would; tests change one thing at a time. */
public final class TestWorkMessages {

    private final String id;
    private int failures;
    private int millis;
    private boolean gate;
    private int priority = 4;
    private String key;

    private TestWorkMessages(String id) {
        this.id = id;
    }

    public static TestWorkMessages work(String id) {
        return new TestWorkMessages(id);
    }

    public TestWorkMessages failingFirst(int attempts) {
        this.failures = attempts;
        return this;
    }

    public TestWorkMessages taking(int millis) {
        this.millis = millis;
        return this;
    }

    public TestWorkMessages waitingForTheGate() {
        this.gate = true;
        return this;
    }

    public TestWorkMessages withPriority(int priority) {
        this.priority = priority;
        return this;
    }

    public TestWorkMessages orderedBy(String key) {
        this.key = key;
        return this;
    }

    public AmqpMessage build() {
        String json = new JsonObject().put("id", id).put("failures", failures).put("millis", millis).put("gate", gate)
                .encode();
        AmqpMessageBuilder builder = AmqpMessage.create()
                .id("test-work:" + id)
                .durable(true)
                .priority((short) priority)
                .contentType(WireContract.CONTENT_TYPE)
                .withBufferAsBody(Buffer.buffer(json));
        if (key != null) {
            builder.applicationProperties(new JsonObject().put(WireContract.ORDERING_KEY, key)).groupId(key);
        }
        return builder.build();
    }
}
