package dev.errand.internal.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ProcessedMessageRepository implements PanacheRepositoryBase<ProcessedMessage, ProcessedMessage.Key> {

    private static final String CLAIM = """
            insert into errand_processed_message (consumer, message_id, processed_at) values (?, ?, now())
            on conflict do nothing""";

    private static final String CLAIM_ALL = """
            insert into errand_processed_message (consumer, message_id, processed_at)
            select ?, id, now() from unnest(?) as id
            on conflict do nothing
            returning message_id""";

    private static final String RELEASE = "delete from errand_processed_message where consumer = ? and message_id = ?";

    private final AgroalDataSource dataSource;

    public ProcessedMessageRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims a message for a consumer in the current transaction. Relies on the primary key rather
     * than check-then-insert: a second copy being handled at the same moment waits on the first
     * one's row and, once that commits, finds it taken.
     * <p>
     * Plain JDBC on the transaction's enlisted connection: this runs once per message, and a
     * Hibernate session adds measurable cost here for nothing (benchmark in docs/performance.md).
     *
     * @return true when this transaction claimed it, false when it was processed already
     */
    public boolean claim(String consumer, String messageId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setString(1, consumer);
            claim.setString(2, messageId);
            return claim.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not claim message " + messageId, e);
        }
    }

    /**
     * Claims several messages with one statement, in the current transaction.
     *
     * @return the ids this transaction claimed; the others were processed already
     */
    public Set<String> claimAll(String consumer, List<String> messageIds) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement(CLAIM_ALL)) {
            claim.setString(1, consumer);
            claim.setArray(2, connection.createArrayOf("text", messageIds.toArray()));
            Set<String> claimed = new HashSet<>(messageIds.size() * 2);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getString(1));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not claim a batch of " + messageIds.size() + " messages", e);
        }
    }

    /** Gives up a claim made in the current transaction (its work failed; the batch goes on). */
    public void release(String consumer, String messageId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement release = connection.prepareStatement(RELEASE)) {
            release.setString(1, consumer);
            release.setString(2, messageId);
            release.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not release the claim of message " + messageId, e);
        }
    }
}
