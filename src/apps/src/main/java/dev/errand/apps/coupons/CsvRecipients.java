package dev.errand.apps.coupons;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.hibernate.Session;

import dev.errand.internal.problem.ProblemException;

/**
 * Streams the marketer's CSV into the campaign's recipient list: one row per distinct valid user,
 * written in batches so 50,000 rows never sit in one String or one statement.
 */
@ApplicationScoped
public class CsvRecipients {

    public static final String HEADER = "user_id";
    public static final String USER_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
    private static final Pattern USER_ID = Pattern.compile(USER_ID_PATTERN);
    private static final int BATCH = 5000;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .setTrim(true)
            .get();

    /** What one upload contained. */
    public record Counts(int total, int invalid) {
    }

    private final EntityManager em;

    public CsvRecipients(EntityManager em) {
        this.em = em;
    }

    /**
     * Reads the CSV and stores each valid user once. Must run inside the upload's transaction: any
     * problem thrown here rolls back every row already written, so nothing is enqueued.
     */
    public Counts store(long campaignId, Reader csv, int maxRows) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (CSVParser parser = FORMAT.parse(withoutByteOrderMark(csv));
                    PreparedStatement insert = connection.prepareStatement("""
                            insert into campaign_recipient (campaign_id, user_id)
                            select ?, u from unnest(?) with ordinality as t(u, n) order by n
                            on conflict do nothing""")) {
                int column = userIdColumn(parser);
                int rows = 0;
                int invalid = 0;
                int total = 0;
                List<String> batch = new ArrayList<>(BATCH);
                for (CSVRecord record : parser) {
                    String userId = column < record.size() ? record.get(column) : "";
                    if (userId.isEmpty()) {
                        continue;
                    }
                    if (++rows > maxRows) {
                        throw new ProblemException(413, "too-many-rows", "Too many rows",
                                "The file has more than " + maxRows + " rows (errand.campaign.max-rows)");
                    }
                    if (!USER_ID.matcher(userId).matches()) {
                        invalid++;
                        continue;
                    }
                    batch.add(userId);
                    if (batch.size() == BATCH) {
                        total += insert(connection, insert, campaignId, batch);
                    }
                }
                total += insert(connection, insert, campaignId, batch);
                if (rows == 0) {
                    throw new ProblemException(400, "no-rows", "No user IDs",
                            "The file has a " + HEADER + " header but no user IDs");
                }
                return new Counts(total, invalid);
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                throw malformed(e);
            }
        });
    }

    private static int userIdColumn(CSVParser parser) {
        List<String> headers = parser.getHeaderNames();
        if (headers.isEmpty()) {
            throw new ProblemException(400, "empty-file", "Empty file", "The upload is empty");
        }
        int column = headers.indexOf(HEADER);
        if (column < 0) {
            throw new ProblemException(400, "missing-header", "Missing user_id header",
                    "The first line must be the header " + HEADER + ", was: " + String.join(",", headers));
        }
        return column;
    }

    private static int insert(Connection connection, PreparedStatement insert, long campaignId, List<String> batch)
            throws SQLException {
        if (batch.isEmpty()) {
            return 0;
        }
        Array users = connection.createArrayOf("text", batch.toArray());
        insert.setLong(1, campaignId);
        insert.setArray(2, users);
        int inserted = insert.executeUpdate();
        users.free();
        batch.clear();
        return inserted;
    }

    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    private static ProblemException malformed(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UploadLimit.TooLarge tooLarge) {
                return tooLarge.problem();
            }
        }
        return new ProblemException(400, "invalid-csv", "Invalid CSV", "The file is not valid CSV: " + e.getMessage());
    }
}
