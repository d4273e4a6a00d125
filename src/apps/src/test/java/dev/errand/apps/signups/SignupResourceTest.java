package dev.errand.apps.signups;

import static dev.errand.testing.Users.asViewer;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.errand.internal.foreground.ForegroundFirst;
import dev.errand.testing.BothBrokers;
import dev.errand.testing.Rows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Sign-up answers at once; one user's work runs in order, many users in parallel. */
@BothBrokers
@QuarkusTest
class SignupResourceTest {

    private static final int USERS = 1000;

    @Inject
    EntityManager em;

    @Inject
    WelcomeMailer mailer;

    @Inject
    ForegroundFirst foreground;

    @AfterEach
    void mailerBack() {
        mailer.failNext(0);
        foreground.switchOn(true);
    }

    @Test
    void aThousandUsersEachGetTheirThreeItemsInOrderWhileUsersRunInParallel() throws Exception {
        // About the consumer's own order and parallelism: the thousand posts that drive it would be a
        // foreground it yields to (down to one run at a time on a loaded machine), which is not the point here.
        foreground.switchOn(false);
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<Long>> ids;
        try {
            ids = clients.invokeAll(IntStream.range(0, USERS)
                    .mapToObj(i -> (java.util.concurrent.Callable<Long>) () -> signUp("u" + i + "-" + run + "@example.com"))
                    .toList());
        } finally {
            clients.shutdown();
        }
        long first = ids.get(0).get();
        await().atMost(Duration.ofSeconds(120)).until(() -> Rows.count(em,
                "select count(*) from signup_event e join signup_account a on a.id = e.account_id where a.email like ?1",
                "%-" + run + "@example.com") == 3L * USERS);

        // For every user, the sequence of its events is profile, email, notification.
        long outOfOrder = Rows.count(em, """
                select count(*) from (
                  select e.account_id, string_agg(e.step, ',' order by e.seq) as steps
                  from signup_event e join signup_account a on a.id = e.account_id
                  where a.email like ?1 group by e.account_id) per_user
                where steps <> ?2""", "%-" + run + "@example.com", String.join(",", SignupChannels.STEPS));
        assertEquals(0, outOfOrder, "users whose items ran out of order");
        given().get("/signups/{id}", first).then().statusCode(200).body("done", equalTo(SignupChannels.STEPS));
        int peak = asViewer().get("/errand/consumers").jsonPath()
                .getInt("find { it.channel == '" + SignupChannels.SIGNUPS + "' }.peakRunning");
        assertTrue(peak > 1, "users ran in parallel (peak " + peak + ")");
    }

    @Test
    void aWelcomeEmailThatFailsIsRetriedAndTheNotificationStillWaitsForIt() {
        mailer.failNext(3);
        long id = signUp("retry-" + UUID.randomUUID() + "@example.com");
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/signups/{id}", id).jsonPath()
                .getList("done").size() == 3);
        given().get("/signups/{id}", id).then().body("done", equalTo(SignupChannels.STEPS));
    }

    @Test
    void aBouncingAddressIsQuarantinedWithItsReasonAndTheUsersWorkGoesOn() {
        long id = signUp("nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@bounce.example");
        String messageId = SignupChannels.messageId(id, SignupChannels.SEND_WELCOME_EMAIL);
        await().atMost(Duration.ofSeconds(30)).until(() -> asViewer().queryParam("queue", SignupChannels.SIGNUPS_QUEUE)
                .queryParam("size", 500).get("/errand/dead-letters").jsonPath()
                .getList("items.findAll { it.messageId == '" + messageId + "' }").size() == 1);
        asViewer().queryParam("queue", SignupChannels.SIGNUPS_QUEUE).queryParam("size", 500).get("/errand/dead-letters").then()
                .body("items.find { it.messageId == '" + messageId + "' }.reason", equalTo("permanent-failure"));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/signups/{id}", id).jsonPath()
                .getList("done").size() == 2);
        given().get("/signups/{id}", id).then().body("done",
                equalTo(List.of(SignupChannels.CREATE_PROFILE, SignupChannels.FIRST_NOTIFICATION)));
    }

    @Test
    void signingUpTwiceWithOneEmailIsAConflict() {
        String email = "twice-" + UUID.randomUUID() + "@example.com";
        signUp(email);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "name", "Again")).post("/signups")
                .then().statusCode(409).contentType("application/problem+json");
    }

    private static long signUp(String email) {
        return given().contentType(ContentType.JSON).body(Map.of("email", email, "name", "Test User"))
                .post("/signups")
                .then().statusCode(202).header("Location", notNullValue())
                .extract().jsonPath().getLong("accountId");
    }
}
