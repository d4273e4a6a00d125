package dev.errand.apps.coupons;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upload bounded as it streams in: its size ({@code errand.campaign.max-upload-bytes}) and each of
 * its lines ({@code errand.campaign.max-line-bytes}). The CSV parser gathers a whole record before it
 * hands it over, so one 95 MB line (a header with no line break, above all) was held in memory whole,
 * several times over, by each upload at once. Here reading stops as soon as a line passes the bound.
 * <p>
 * A quote opens or closes a quoted field, as in RFC 4180 (a doubled quote inside one closes and
 * reopens it); a line break inside quotes belongs to the record, so the bound is per record, and many
 * short lines inside one quoted field count as one line. Counted in bytes, on the raw upload: in UTF-8
 * neither the quote nor the line break occurs inside another character.
 */
final class CsvUploadLimits extends FilterInputStream {

    private final long maxBytes;
    private final long limit;
    private long bytes;
    private long lineBytes;
    private long line = 1;
    private boolean quoted;

    CsvUploadLimits(InputStream in, long maxBytes, long maxLineBytes) {
        super(in);
        this.maxBytes = maxBytes;
        this.limit = maxLineBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
            count((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = offset; i < offset + n; i++) {
            count(buffer[i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would go uncounted; the parser never skips.
        throw new IOException("skip is not supported on an upload");
    }

    private void count(byte b) throws IOException {
        if (++bytes > maxBytes) {
            throw new UploadTooLarge(maxBytes);
        }
        if (++lineBytes > limit) {
            throw new LineTooLong(line, limit);
        }
        if (b == '"') {
            quoted = !quoted;
        } else if (b == '\n' && !quoted) {
            lineBytes = 0;
            line++;
        }
    }

    /** A line passed the bound; an IOException so that it travels through the reader and the parser. */
    static final class LineTooLong extends IOException {
        private final long line;
        private final long limit;

        LineTooLong(long line, long limit) {
            super("line " + line + " is longer than " + limit + " bytes");
            this.line = line;
            this.limit = limit;
        }

        long line() {
            return line;
        }

        long limit() {
            return limit;
        }
    }

    /** The upload passed its bound; an IOException so that it travels through the reader and the parser. */
    static final class UploadTooLarge extends IOException {
        private final long limit;

        UploadTooLarge(long limit) {
            super("the upload is larger than " + limit + " bytes");
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }
}
