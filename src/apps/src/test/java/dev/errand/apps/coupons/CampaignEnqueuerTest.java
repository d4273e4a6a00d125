package dev.errand.apps.coupons;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.errand.apps.testing.Campaigns;
import dev.errand.apps.testing.Simulator;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Enqueuing resumes where a crashed run left it, without sending the confirmed part again. */
@QuarkusTest
class CampaignEnqueuerTest {

    @Inject
    CampaignEnqueuer enqueuer;

    @BeforeEach
    void resetSimulator() {
        Simulator.reset();
    }

    @Test
    void aCampaignLeftHalfEnqueuedResumesAfterItsLastConfirmedBatch() {
        // As a crash leaves it: 5 recipients, the first 2 confirmed on the broker (and granted since).
        // As a crash leaves it: 5 recipients, the first 2 confirmed on the broker (and granted since).
        List<String> users = List.of("resume-1", "resume-2", "resume-3", "resume-4", "resume-5");
        long id = Campaigns.enqueuing("crashed while enqueuing", users);
        Rows.execute("update campaign set enqueued = 2, enqueue_cursor = (select id from campaign_recipient"
                + " where campaign_id = ? and user_id = 'resume-2') where id = ?", id, id);
        for (String user : users.subList(0, 2)) {
            Rows.execute("insert into coupon_grant (campaign_id, user_id, coupon_id) values (?, ?, 'before')", id, user);
        }

        enqueuer.start(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(Campaigns.progress(id).getString("status")));
        JsonPath done = Campaigns.progress(id);
        assertEquals(5, done.getInt("enqueued"));
        assertEquals(5, done.getInt("granted"));
        // Only the three unconfirmed users were sent and granted now.
        assertEquals(3, Simulator.stat("requests"));
    }
}
