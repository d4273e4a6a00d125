package dev.errand.apps.testing;

import java.util.UUID;

import dev.errand.apps.coupons.CouponChannels;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpMessageBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import dev.errand.testing.AnySender;
import dev.errand.testing.Rows;

/**
 * Builds grant messages as the wire contract describes them; tests change one thing at a time. They are
 * signed as the campaign's enqueuer signs its own, unless {@link #fromOutside()}.
 */
public final class GrantMessages {

    private String messageId;
    private String contentType = "application/json";
    private String body;
    private long campaignId;
    private String userId = "user-" + UUID.randomUUID().toString().substring(0, 8);
    private int amountCents = 1500;
    private String traceparent;
    private boolean fromOutside;

    private GrantMessages() {
    }

    public static GrantMessages aGrant(long campaignId) {
        GrantMessages grant = new GrantMessages();
        grant.campaignId = campaignId;
        return grant;
    }

    public GrantMessages forUser(String userId) {
        this.userId = userId;
        return this;
    }

    public GrantMessages withAmountCents(int amountCents) {
        this.amountCents = amountCents;
        return this;
    }

    public GrantMessages withoutMessageId() {
        this.messageId = "";
        return this;
    }

    public GrantMessages withContentType(String contentType) {
        this.contentType = contentType;
        return this;
    }

    /** A W3C trace context, as a sender that traces its own work puts it in the application properties. */
    public GrantMessages withTraceparent(String traceparent) {
        this.traceparent = traceparent;
        return this;
    }

    /**
     * Sent by an outside sender (unsigned), not as the campaign's enqueuer would send it: the grant runs
     * all the same, but its dead letter is the outside sender's and never counts in the campaign.
     */
    public GrantMessages fromOutside() {
        this.fromOutside = true;
        return this;
    }

    public GrantMessages withBody(String body) {
        this.body = body;
        return this;
    }

    public String userId() {
        return userId;
    }

    public String messageId() {
        return messageId == null ? CouponChannels.messageId(campaignId, userId) : messageId;
    }

    /**
     * The message, its user made one of the campaign's recipients first, as the upload would have:
     * the worker refuses a grant for anyone else before it calls the promotions API.
     */
    public AmqpMessage build() {
        if (campaignId > 0 && userId != null) {
            Rows.execute("insert into campaign_recipient (campaign_id, user_id) select ?, ?"
                    + " where exists (select 1 from campaign where id = ?) on conflict do nothing",
                    campaignId, userId, campaignId);
        }
        String json = body != null ? body
                : new JsonObject().put("campaignId", campaignId).put("userId", userId).put("amountCents", amountCents)
                        .encode();
        AmqpMessageBuilder builder = AmqpMessage.create()
                .durable(true)
                .subject(CouponChannels.GRANT_SUBJECT)
                .correlationId(CouponChannels.correlationId(campaignId))
                .withBufferAsBody(Buffer.buffer(json));
        if (contentType != null) {
            builder.contentType(contentType);
        }
        if (traceparent != null) {
            builder.applicationProperties(new JsonObject().put("traceparent", traceparent));
        }
        if (!"".equals(messageId)) {
            builder.id(messageId());
        }
        return fromOutside ? builder.build() : ServiceSignature.signed(builder.build());
    }

    public void sendWith(AnySender sender) {
        sender.send(CouponChannels.GRANTS_QUEUE, build());
    }
}
