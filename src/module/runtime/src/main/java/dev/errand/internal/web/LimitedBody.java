package dev.errand.internal.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that stops being read once it passes its limit: the reader gets
 * {@link TooLarge}, which answers 413, and the rest is never buffered.
 */
public final class LimitedBody extends FilterInputStream {

    private final long limit;
    private long read;

    public LimitedBody(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b != -1) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // Never ask for more than one byte past the limit: that byte is enough to know.
        long allowed = limit - read + 1;
        int n = super.read(buffer, offset, (int) Math.min(length, Math.max(1, allowed)));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - read + 1));
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLarge {
        read += n;
        if (read > limit) {
            throw new TooLarge(limit);
        }
    }

    /** The body passed its limit; an IOException so that it travels through any reader. */
    public static final class TooLarge extends IOException {
        private final long limit;

        public TooLarge(long limit) {
            super("request body larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
