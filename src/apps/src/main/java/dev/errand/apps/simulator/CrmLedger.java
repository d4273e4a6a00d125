package dev.errand.apps.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The simulated CRM's own records: contacts, their owners, bad links and reports, in its own tables.
 * Plain JDBC in autocommit, one statement a call where it can be, as an external system would cost.
 */
@ApplicationScoped
public class CrmLedger {

    /** A contact as the CRM answers; {@code replayed} when an earlier call with the same key created it. */
    public record Contact(long contactId, String email, boolean replayed) {
    }

    /**
     * Counts over the whole CRM; duplicates are contacts beyond the first for an email; replayed
     * contacts are creations that repeated an idempotency key already used (a step run again).
     */
    public record Totals(long contacts, long duplicateContacts, long replayedContacts, long links, long badLinks,
            long reports) {
    }

    private final AgroalDataSource dataSource;

    public CrmLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates a contact; with a key already seen, returns that key's contact instead. */
    public Contact create(String firstName, String lastName, String email, String idempotencyKey) {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into crm_contact (first_name, last_name, email, idempotency_key) values (?, ?, ?, ?)
                    on conflict (idempotency_key) where idempotency_key is not null do nothing
                    returning id""")) {
                insert.setString(1, firstName);
                insert.setString(2, lastName);
                insert.setString(3, email);
                setKey(insert, 4, idempotencyKey);
                try (ResultSet inserted = insert.executeQuery()) {
                    if (inserted.next()) {
                        return new Contact(inserted.getLong(1), email, false);
                    }
                }
            }
            try (PreparedStatement first = connection.prepareStatement(
                    "update crm_contact set replays = replays + 1 where idempotency_key = ? returning id, email")) {
                first.setString(1, idempotencyKey);
                try (ResultSet row = first.executeQuery()) {
                    row.next();
                    return new Contact(row.getLong(1), row.getString(2), true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("CRM unavailable", e);
        }
    }

    /**
     * Assigns the owner; false, and a bad link counted, when no contact has that id (a step that did
     * not use the id step 1 returned). Assigning the same owner again is harmless, as in a real CRM.
     */
    public boolean assignOwner(String contactId, String owner) {
        try (Connection connection = dataSource.getConnection()) {
            long id;
            try {
                id = Long.parseLong(contactId);
            } catch (NumberFormatException notAnId) {
                id = -1;
            }
            try (PreparedStatement update = connection.prepareStatement("update crm_contact set owner = ? where id = ?")) {
                update.setString(1, owner);
                update.setLong(2, id);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement bad = connection.prepareStatement("insert into crm_bad_link (contact_id) values (?)")) {
                bad.setString(1, contactId);
                bad.executeUpdate();
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException("CRM unavailable", e);
        }
    }

    /** Records a report; with a key already seen, records nothing. */
    public boolean report(String exportId, long exported, long failed, String idempotencyKey) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into crm_report (export_id, exported, failed, idempotency_key) values (?, ?, ?, ?)
                        on conflict (idempotency_key) where idempotency_key is not null do nothing""")) {
            insert.setString(1, exportId);
            insert.setLong(2, exported);
            insert.setLong(3, failed);
            setKey(insert, 4, idempotencyKey);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("CRM unavailable", e);
        }
    }

    public Totals totals() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("""
                        select (select count(*) from crm_contact),
                               (select count(*) - count(distinct email) from crm_contact),
                               (select coalesce(sum(replays), 0) from crm_contact),
                               (select count(*) from crm_contact where owner is not null),
                               (select count(*) from crm_bad_link),
                               (select count(*) from crm_report)""");
                ResultSet row = count.executeQuery()) {
            row.next();
            return new Totals(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
                    row.getLong(6));
        } catch (SQLException e) {
            throw new IllegalStateException("CRM unavailable", e);
        }
    }

    public void clear() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement truncate = connection.prepareStatement("truncate crm_contact, crm_bad_link, crm_report")) {
            truncate.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("CRM unavailable", e);
        }
    }

    private static void setKey(PreparedStatement statement, int index, String key) throws SQLException {
        if (key == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, key);
        }
    }
}
