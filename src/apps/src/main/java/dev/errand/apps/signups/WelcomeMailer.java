package dev.errand.apps.signups;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.PermanentFailure;

/**
 * Stands in for the mail provider. It refuses addresses at {@code bounce.example} for good (a hard
 * bounce: the message is quarantined), and a test can make it fail for a while.
 */
@ApplicationScoped
public class WelcomeMailer {

    private final AtomicInteger failuresLeft = new AtomicInteger();

    public void send(String email, String name) {
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("mail provider unavailable");
        }
        if (email.endsWith("@bounce.example")) {
            throw new PermanentFailure("mail provider refused " + email + ": mailbox does not exist");
        }
    }

    public void failNext(int times) {
        failuresLeft.set(times);
    }
}
