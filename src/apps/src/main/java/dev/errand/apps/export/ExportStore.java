package dev.errand.apps.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.PermanentFailure;
import io.agroal.api.AgroalDataSource;

/** The users to export and the exports, in plain SQL: seeding and reading run to the hundred thousand. */
@ApplicationScoped
public class ExportStore {

    /** An export as stored: what it covers and the workflow that does it. */
    public record Export(long id, long total, String workflowId, Instant startedAt) {
    }

    private final AgroalDataSource dataSource;

    public ExportStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds {@code count} demo users in one statement; returns how many there are now. */
    public long seed(int count) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into crm_user (first_name, last_name, email)
                        select 'Ada' || n, 'Lovelace' || n, 'ada' || n || '-' || md5(random()::text) || '@example.com'
                        from generate_series(1, ?) n""");
                PreparedStatement total = connection.prepareStatement("select count(*) from crm_user")) {
            insert.setInt(1, count);
            insert.executeUpdate();
            try (ResultSet rows = total.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** A new export of every user there is now. */
    public long newExport() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into user_export (up_to_user, total)
                        select coalesce(max(id), 0), count(*) from crm_user returning id""")) {
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * A new export of the users changed after the previous nightly export's tick (ever, for the first) up
     * to {@code tick}. A user changed by a transaction that began before the tick but commits after this
     * export read the users is left out of both (its time is before the tick): a limit of the demo.
     */
    public long newChangedExport(Instant tick) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        with since as (
                            select coalesce(max(changed_until), '-infinity') as after from user_export
                            where changed_until < ?)
                        insert into user_export (up_to_user, total, changed_after, changed_until)
                        select coalesce(max(u.id), 0), count(*) filter (where u.updated_at > s.after and u.updated_at <= ?),
                               s.after, ?
                        from since s left join crm_user u on true group by s.after returning id""")) {
            Timestamp until = Timestamp.from(tick);
            insert.setTimestamp(1, until);
            insert.setTimestamp(2, until);
            insert.setTimestamp(3, until);
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    public void workflow(long exportId, String workflowId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update user_export set workflow_id = ? where id = ?")) {
            update.setString(1, workflowId);
            update.setLong(2, exportId);
            update.executeUpdate();
        }
    }

    /**
     * Links a nightly export to the workflow its tick's keyed start returned, unless another export already
     * has that workflow: the key found the tick's call already started (by another replica, or before the
     * schedule's last tick was set back), whose own export row is linked to it. Then this row, which no call
     * will ever export, is deleted, so that the tick's transaction leaves nothing of its own.
     *
     * @return whether the export is the tick's, linked; false: deleted
     */
    public boolean linkOrDiscard(long exportId, String workflowId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update user_export set workflow_id = ? where id = ?
                        and not exists (select 1 from user_export o where o.workflow_id = ? and o.id <> ?)""");
                PreparedStatement delete = connection.prepareStatement("delete from user_export where id = ?")) {
            update.setString(1, workflowId);
            update.setLong(2, exportId);
            update.setString(3, workflowId);
            update.setLong(4, exportId);
            if (update.executeUpdate() == 1) {
                return true;
            }
            delete.setLong(1, exportId);
            delete.executeUpdate();
            return false;
        }
    }

    public Optional<Export> find(long exportId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select id, total, workflow_id, started_at from user_export where id = ?")) {
            query.setLong(1, exportId);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Timestamp started = rows.getTimestamp(4);
                return Optional.of(new Export(rows.getLong(1), rows.getLong(2), rows.getString(3), started.toInstant()));
            }
        }
    }

    /** The ids of the users an export covers, in order: the same on every replay of its workflow. */
    public List<Long> userIds(long exportId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        select u.id from crm_user u, user_export e where e.id = ? and u.id <= e.up_to_user
                        and (e.changed_until is null or u.updated_at > e.changed_after and u.updated_at <= e.changed_until)
                        order by u.id""")) {
            query.setLong(1, exportId);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }
    }

    public ExportedUser user(long userId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select id, first_name, last_name, email from crm_user where id = ?")) {
            query.setLong(1, userId);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new PermanentFailure("no user " + userId + " to export");
                }
                return new ExportedUser(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read user " + userId, e);
        }
    }
}
