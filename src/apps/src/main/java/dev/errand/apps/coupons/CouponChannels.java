package dev.errand.apps.coupons;

/** Names shared by annotations, configuration and tests. */
public final class CouponChannels {

    /** The incoming channel of the granting worker; also its consumer name for idempotency. */
    public static final String GRANTS = "coupon-grants";
    /** The broker queue behind it. */
    public static final String GRANTS_QUEUE = "errand.coupon-grants";
    /** The task type (AMQP subject) of a grant. */
    public static final String GRANT_SUBJECT = "coupon.grant";

    private CouponChannels() {
    }

    /** Derived from campaign and user, so no resend can grant twice. */
    public static String messageId(long campaignId, String userId) {
        return "coupon:" + campaignId + ":" + userId;
    }

    /** Groups a campaign's messages, dead letters included. */
    public static String correlationId(long campaignId) {
        return "campaign:" + campaignId;
    }
}
