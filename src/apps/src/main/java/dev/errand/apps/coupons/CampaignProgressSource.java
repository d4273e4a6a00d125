package dev.errand.apps.coupons;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.ProgressSource;

/** Shows the latest campaigns on the dashboard. */
@ApplicationScoped
public class CampaignProgressSource implements ProgressSource {

    private static final int SHOWN = 10;

    private final CampaignProgress campaigns;

    public CampaignProgressSource(CampaignProgress campaigns) {
        this.campaigns = campaigns;
    }

    @Override
    public List<Progress> progress() {
        return campaigns.list(SHOWN).stream()
                .map(c -> new Progress("campaign", Long.toString(c.id()), c.name(), c.status().name(), c.granted(),
                        c.failed() + c.deadLettered(), c.total(), c.startedAt(), c.finishedAt() != null))
                .toList();
    }
}
