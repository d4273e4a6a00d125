package dev.errand.apps.coupons;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.testing.Campaigns;
import dev.errand.testing.Simulator;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Enqueuing resumes where a crashed run left it, without sending the confirmed part again. */
@QuarkusTest
class CampaignEnqueuerTest {

    @Inject
    EntityManager em;

    @Inject
    CampaignEnqueuer enqueuer;

    @BeforeEach
    void resetSimulator() {
        Simulator.reset();
    }

    @Test
    void aCampaignLeftHalfEnqueuedResumesAfterItsLastConfirmedBatch() {
        // As a crash leaves it: 5 recipients, the first 2 confirmed on the broker (and granted since).
        long id = QuarkusTransaction.requiringNew().call(() -> {
            Campaign campaign = new Campaign();
            campaign.name = "crashed while enqueuing";
            campaign.couponCents = 1500;
            campaign.status = CampaignStatus.ENQUEUING;
            campaign.total = 5;
            campaign.startedAt = Instant.now();
            campaign.persist();
            campaign.flush();
            List<String> users = List.of("resume-1", "resume-2", "resume-3", "resume-4", "resume-5");
            for (String user : users) {
                em.createNativeQuery("insert into campaign_recipient (campaign_id, user_id) values (:c, :u)")
                        .setParameter("c", campaign.id).setParameter("u", user).executeUpdate();
            }
            long second = ((Number) em.createNativeQuery(
                    "select id from campaign_recipient where campaign_id = :c and user_id = 'resume-2'")
                    .setParameter("c", campaign.id).getSingleResult()).longValue();
            campaign.enqueued = 2;
            campaign.enqueueCursor = second;
            for (String user : users.subList(0, 2)) {
                em.createNativeQuery("insert into coupon_grant (campaign_id, user_id, coupon_id) values (:c, :u, 'before')")
                        .setParameter("c", campaign.id).setParameter("u", user).executeUpdate();
            }
            return campaign.id;
        });

        enqueuer.start(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(Campaigns.progress(id).getString("status")));
        JsonPath done = Campaigns.progress(id);
        assertEquals(5, done.getInt("enqueued"));
        assertEquals(5, done.getInt("granted"));
        // Only the three unconfirmed users were sent and granted now.
        assertEquals(3, Simulator.stat("requests"));
    }
}
