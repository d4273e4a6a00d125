package dev.errand.apps.signups;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import dev.errand.ProblemException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates the account and, in the same transaction, its three work items under one ordering key. */
@ApplicationScoped
public class SignupService {

    private final AgroalDataSource dataSource;
    private final Outbox outbox;

    public SignupService(AgroalDataSource dataSource, Outbox outbox) {
        this.dataSource = dataSource;
        this.outbox = outbox;
    }

    public long signUp(SignupRequest request) {
        // Joins the request's transaction when there is one (an Idempotency-Key): key and work commit together.
        return QuarkusTransaction.joiningExisting().call(() -> {
            long id = insertAccount(request);
            String body = "{\"accountId\":" + id + "}";
            for (String step : SignupChannels.STEPS) {
                outbox.enqueue(OutboundMessage.json(SignupChannels.SIGNUPS_QUEUE, SignupChannels.messageId(id, step),
                        step, SignupChannels.orderingKey(id), body).orderedBy(SignupChannels.orderingKey(id)));
            }
            return id;
        });
    }

    private long insertAccount(SignupRequest request) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into signup_account (email, name) values (lower(?), ?)
                        on conflict (email) do nothing returning id""")) {
            insert.setString(1, request.email());
            insert.setString(2, request.name());
            try (ResultSet rows = insert.executeQuery()) {
                if (!rows.next()) {
                    throw new ProblemException(409, "already-signed-up", "Already signed up",
                            "An account with this email exists");
                }
                return rows.getLong(1);
            }
        }
    }
}
