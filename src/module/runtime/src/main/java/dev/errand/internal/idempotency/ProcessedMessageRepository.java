package dev.errand.internal.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ProcessedMessageRepository implements PanacheRepositoryBase<ProcessedMessage, ProcessedMessage.Key> {

    private static final String CLAIM = """
            insert into errand_processed_message (consumer, message_id, processed_at) values (?, ?, now())
            on conflict do nothing""";

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
}
