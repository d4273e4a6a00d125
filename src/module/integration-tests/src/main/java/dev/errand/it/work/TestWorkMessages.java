package dev.errand.it.work;

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
    private boolean withMessageId = true;
    private String contentType = WireContract.CONTENT_TYPE;
    private boolean asAmqpValue;
    private String body;
    private String correlationId;
    private java.time.Instant madeAt;

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

    /** A message that breaks the contract: no message-id. */
    public TestWorkMessages withoutMessageId() {
        this.withMessageId = false;
        return this;
    }

    /** The body as an AMQP string value instead of a data section. */
    public TestWorkMessages asAmqpValue() {
        this.asAmqpValue = true;
        return this;
    }

    public TestWorkMessages withContentType(String type) {
        this.contentType = type;
        return this;
    }

    /** Another body than the work's JSON. */
    public TestWorkMessages withBody(String text) {
        this.body = text;
        return this;
    }

    /** Groups it with others of one test: the dead letter of a message without id is found by it. */
    public TestWorkMessages correlatedBy(String id) {
        this.correlationId = id;
        return this;
    }

    public String messageId() {
        return "test-work:" + id;
    }

    /** Its AMQP creation-time, as a sender that made it then would set it. */
    public TestWorkMessages madeAt(java.time.Instant at) {
        this.madeAt = at;
        return this;
    }

    public AmqpMessage build() {
        String json = body != null ? body
                : new JsonObject().put("id", id).put("failures", failures).put("millis", millis).put("gate", gate)
                        .encode();
        AmqpMessageBuilder builder = AmqpMessage.create()
                .durable(true)
                .priority((short) priority)
                .contentType(contentType);
        if (asAmqpValue) {
            builder.withBody(json);
        } else {
            builder.withBufferAsBody(Buffer.buffer(json));
        }
        if (withMessageId) {
            builder.id(messageId());
        }
        if (correlationId != null) {
            builder.correlationId(correlationId);
        }
        if (madeAt != null) {
            builder.creationTime(madeAt.toEpochMilli());
        }
        if (key != null) {
            builder.applicationProperties(new JsonObject().put(WireContract.ORDERING_KEY, key)).groupId(key);
        }
        return builder.build();
    }
}
