package dev.errand.apps.testing;

import static dev.errand.testing.Users.asProducer;
import static dev.errand.testing.Users.asViewer;

import io.restassured.path.json.JsonPath;
import dev.errand.testing.Rows;

/** Campaign helpers over the public REST API. */
public final class Campaigns {

    private Campaigns() {
    }

    /** Uploads a CSV and returns the campaign id. */
    public static long upload(String name, String csv) {
        return asProducer().contentType("text/csv").body(csv)
                .queryParam("name", name).queryParam("couponCents", 1500)
                .post("/campaigns")
                .then().statusCode(202).extract().jsonPath().getLong("id");
    }

    /** A campaign with no recipients, for tests that send their own grant messages. */
    public static long anEmptyCampaign() {
        return anEmptyCampaign(1500);
    }

    /** The same, with coupons of this amount (the API would refuse one over errand.campaign.max-coupon-cents). */
    public static long anEmptyCampaign(int couponCents) {
        // Not through the API, which refuses a campaign without a valid user.
        return Rows.execute("insert into campaign (name, coupon_cents, status, total, invalid, started_at)"
                + " values ('handmade', ?, 'RUNNING', 0, 0, now()) returning id", couponCents);
    }

    public static JsonPath progress(long id) {
        return asViewer().get("/campaigns/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** A campaign left ENQUEUING with these recipients, none sent yet, as a crash or an outage leaves it. */
    public static long enqueuing(String name, java.util.List<String> users) {
        long id = Rows.execute("insert into campaign (name, coupon_cents, status, total, invalid, started_at)"
                + " values (?, 1500, 'ENQUEUING', ?, 0, now()) returning id", name, users.size());
        Rows.execute("insert into campaign_recipient (campaign_id, user_id) select ?, u from unnest(?::text[]) u",
                id, users.toArray(String[]::new));
        return id;
    }
}
