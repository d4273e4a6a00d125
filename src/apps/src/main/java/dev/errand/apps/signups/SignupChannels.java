package dev.errand.apps.signups;

import java.util.List;

/** Names shared by annotations, configuration and tests. */
public final class SignupChannels {

    /** The incoming channel of the sign-up worker; also its consumer name. */
    public static final String SIGNUPS = "signups";
    /** The broker queue behind it. */
    public static final String SIGNUPS_QUEUE = "errand.signups";

    /** The work items of one sign-up, in the order they must run. */
    public static final String CREATE_PROFILE = "signup.create-profile";
    public static final String SEND_WELCOME_EMAIL = "signup.send-welcome-email";
    public static final String FIRST_NOTIFICATION = "signup.first-notification";
    public static final List<String> STEPS = List.of(CREATE_PROFILE, SEND_WELCOME_EMAIL, FIRST_NOTIFICATION);

    private SignupChannels() {
    }

    /** One user's work shares this ordering key: it runs in order, users in parallel. */
    public static String orderingKey(long accountId) {
        return "user:" + accountId;
    }

    public static String messageId(long accountId, String step) {
        return "signup:" + accountId + ":" + step;
    }
}
