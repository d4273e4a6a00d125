package dev.errand.apps.coupons;

/**
 * ENQUEUING → RUNNING → COMPLETED or COMPLETED_WITH_FAILURES. A completed campaign whose dead letters
 * are replayed is RUNNING again until they settle.
 */
public enum CampaignStatus {
    ENQUEUING,
    RUNNING,
    COMPLETED,
    COMPLETED_WITH_FAILURES
}
