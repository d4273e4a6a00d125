package dev.errand.apps.coupons;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits and pacing of campaign uploads. */
@ConfigMapping(prefix = "errand.campaign")
public interface CampaignConfig {

    /** Most rows (user IDs, after the header) one upload may have. */
    @WithDefault("1000000")
    int maxRows();

    /** Largest upload body, in bytes. */
    @WithDefault("104857600")
    long maxUploadBytes();

    /**
     * Longest line of an upload, in bytes, its line break included; a quoted field's line breaks count
     * as part of its line. Read as the upload streams: a longer line is refused with a 413 problem as
     * soon as it passes this, so no upload holds more than about this much of one line in memory.
     */
    @WithDefault("65536")
    long maxLineBytes();

    /**
     * Largest coupon, in cents: what the promotions API accepts. An upload asking for more is refused
     * at once, rather than accepted and then dead-lettered user by user.
     */
    @WithDefault("100000")
    int maxCouponCents();

    /** Recipients sent to the broker per batch; each batch waits for the broker to store it. */
    @WithDefault("2000")
    int enqueueBatch();
}
