package dev.errand.apps.signups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.OutsideTransaction;
import dev.errand.PermanentFailure;
import dev.errand.Task;
import io.agroal.api.AgroalDataSource;

/**
 * The sign-up worker. One user's items arrive with one ordering key, so the profile exists before
 * the welcome email and the email goes before the first notification; many users run in parallel.
 * Each item records itself in {@code signup_event}, whose sequence shows the order they ran in.
 */
@ApplicationScoped
public class SignupProcessor {

    private final WelcomeMailer mailer;
    private final OutsideTransaction outsideTransaction;
    private final AgroalDataSource dataSource;

    public SignupProcessor(WelcomeMailer mailer, OutsideTransaction outsideTransaction, AgroalDataSource dataSource) {
        this.mailer = mailer;
        this.outsideTransaction = outsideTransaction;
        this.dataSource = dataSource;
    }

    @Incoming(SignupChannels.SIGNUPS)
    void process(SignupWork work, Task<SignupWork> task) throws Exception {
        long account = work.accountId();
        String step = task.subject() == null ? "" : task.subject();
        try (Connection connection = dataSource.getConnection()) {
            switch (step) {
                case SignupChannels.CREATE_PROFILE -> execute(connection,
                        "insert into signup_profile (account_id) values (?) on conflict do nothing", account);
                case SignupChannels.SEND_WELCOME_EMAIL -> {
                    String[] who = emailAndName(connection, account);
                    if (who == null) {
                        throw new PermanentFailure("No profile for account " + account + " to welcome");
                    }
                    outsideTransaction.call(() -> {
                        mailer.send(who[0], who[1]);
                        return null;
                    });
                }
                case SignupChannels.FIRST_NOTIFICATION -> execute(connection,
                        "update signup_profile set notified = true where account_id = ?", account);
                default -> throw new PermanentFailure("Unknown sign-up step '" + step + "'");
            }
            // Same transaction as the work and the processed marker: one event per item that ran.
            try (PreparedStatement event = connection.prepareStatement(
                    "insert into signup_event (account_id, step) values (?, ?)")) {
                event.setLong(1, account);
                event.setString(2, step);
                event.executeUpdate();
            }
        }
    }

    private static void execute(Connection connection, String sql, long account) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, account);
            statement.executeUpdate();
        }
    }

    private static String[] emailAndName(Connection connection, long account) throws Exception {
        try (PreparedStatement query = connection.prepareStatement("""
                select a.email, a.name from signup_account a join signup_profile p on p.account_id = a.id
                where a.id = ?""")) {
            query.setLong(1, account);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new String[] { rows.getString(1), rows.getString(2) } : null;
            }
        }
    }
}
