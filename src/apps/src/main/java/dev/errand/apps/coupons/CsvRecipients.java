package dev.errand.apps.coupons;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.commons.csv.DuplicateHeaderMode;
import org.hibernate.Session;

import dev.errand.ProblemException;

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
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
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
        Path spool = null;
        try {
            // The whole file is read and checked before a row is stored: a file over the row limit is
            // refused after reading, in seconds, not after storing a million rows and rolling them back.
            spool = Files.createTempFile("errand-upload-", ".ids");
            int[] read = spoolValidUserIds(csv, maxRows, spool);
            int rows = read[0];
            int invalid = read[1];
            if (rows == 0) {
                throw new ProblemException(400, "no-rows", "No user IDs",
                        "The file has a " + HEADER + " header but no user IDs");
            }
            if (rows == invalid) {
                throw new ProblemException(400, "no-valid-rows", "No valid user IDs",
                        "None of the file's " + rows + " user IDs is valid (" + USER_ID_PATTERN
                                + "): there would be no one to grant to");
            }
            Path ids = spool;
            int total = em.unwrap(Session.class).doReturningWork(connection -> insertAll(connection, campaignId, ids));
            return new Counts(total, invalid);
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            throw malformed(e);
        } finally {
            if (spool != null) {
                try {
                    Files.deleteIfExists(spool);
                } catch (IOException e) {
                    // A temporary file left behind is the system's to clean up.
                }
            }
        }
    }

    /** Reads and checks every row, writing the valid user IDs to {@code spool}; returns {rows, invalid}. */
    private static int[] spoolValidUserIds(Reader csv, int maxRows, Path spool) throws IOException {
        try (CSVParser parser = FORMAT.parse(withoutByteOrderMark(csv));
                BufferedWriter out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8)) {
            int column = userIdColumn(parser);
            int rows = 0;
            int invalid = 0;
            for (CSVRecord record : parser) {
                String userId = column < record.size() ? record.get(column) : "";
                if (damaged(userId)) {
                    // A control character (a NUL above all) is a damaged file, not a typo: refused
                    // whole rather than counted, so nothing is quietly changed or dropped.
                    throw new ProblemException(400, "invalid-csv", "Invalid CSV", "Line "
                            + record.getRecordNumber() + ": the user ID holds a control character or"
                            + " invalid Unicode");
                }
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
                // Valid IDs hold no line break (USER_ID_PATTERN): one per line.
                out.write(userId);
                out.newLine();
            }
            return new int[] { rows, invalid };
        }
    }

    private static int insertAll(Connection connection, long campaignId, Path ids) throws SQLException {
        try (BufferedReader in = Files.newBufferedReader(ids, StandardCharsets.UTF_8);
                PreparedStatement insert = connection.prepareStatement("""
                        insert into campaign_recipient (campaign_id, user_id)
                        select ?, u from unnest(?) with ordinality as t(u, n) order by n
                        on conflict do nothing""")) {
            int total = 0;
            List<String> batch = new ArrayList<>(BATCH);
            for (String userId = in.readLine(); userId != null; userId = in.readLine()) {
                batch.add(userId);
                if (batch.size() == BATCH) {
                    total += insert(connection, insert, campaignId, batch);
                }
            }
            return total + insert(connection, insert, campaignId, batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** Whether a user ID holds a control character (a NUL above all) or an unpaired surrogate. */
    private static boolean damaged(String userId) {
        for (int i = 0; i < userId.length(); i++) {
            char c = userId.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < userId.length() && Character.isLowSurrogate(userId.charAt(i + 1))) {
                i++;
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The upload is over {@code errand.campaign.max-upload-bytes}. */
    static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(413, "upload-too-large", "Upload too large",
                "The upload is larger than " + maxBytes + " bytes (errand.campaign.max-upload-bytes)");
    }

    private static ProblemException malformed(Exception e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CsvUploadLimits.UploadTooLarge tooLarge) {
                return tooLarge(tooLarge.limit());
            }
            if (t instanceof CsvUploadLimits.LineTooLong tooLong) {
                return new ProblemException(413, "line-too-long", "Line too long", "Line " + tooLong.line()
                        + " is longer than " + tooLong.limit() + " bytes (errand.campaign.max-line-bytes); a quoted"
                        + " field's line breaks count as part of its line");
            }
            deepest = t;
        }
        // The parser's own words, without its class names.
        String detail = String.valueOf(deepest.getMessage())
                .replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error)?:?\\s*", "");
        return new ProblemException(400, "invalid-csv", "Invalid CSV", "The file is not valid CSV: " + detail);
    }
}
