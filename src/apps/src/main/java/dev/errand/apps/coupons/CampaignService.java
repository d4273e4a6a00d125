package dev.errand.apps.coupons;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates campaigns from uploads. */
@ApplicationScoped
public class CampaignService {

    /** Enough for the largest allowed upload to be read and stored. */
    private static final int UPLOAD_TRANSACTION_SECONDS = 600;

    private final CsvRecipients recipients;
    private final CampaignEnqueuer enqueuer;
    private final CampaignConfig config;

    public CampaignService(CsvRecipients recipients, CampaignEnqueuer enqueuer, CampaignConfig config) {
        this.recipients = recipients;
        this.enqueuer = enqueuer;
        this.config = config;
    }

    /**
     * Stores the campaign and its recipients in one transaction, then starts enqueuing. A bad file
     * rolls the whole transaction back: nothing is stored, nothing is enqueued.
     */
    public Campaign create(String name, int couponCents, InputStream csv) {
        Campaign campaign = QuarkusTransaction.requiringNew().timeout(UPLOAD_TRANSACTION_SECONDS).call(() -> {
            Campaign created = new Campaign();
            created.name = name;
            created.couponCents = couponCents;
            created.status = CampaignStatus.ENQUEUING;
            created.startedAt = Instant.now();
            created.persist();
            created.flush();
            CsvRecipients.Counts counts = recipients.store(created.id,
                    new InputStreamReader(new CsvUploadLimits(csv, config.maxUploadBytes(),
                            config.maxLineBytes()), StandardCharsets.UTF_8),
                    config.maxRows());
            created.total = counts.total();
            created.invalid = counts.invalid();
            return created;
        });
        enqueuer.start(campaign.id);
        return campaign;
    }
}
