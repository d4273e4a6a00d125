package dev.errand.apps.coupons;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import dev.errand.internal.problem.ProblemException;

/** Stops reading an upload once it passes its size limit. */
final class UploadLimit extends FilterInputStream {

    private final long maxBytes;
    private long read;

    UploadLimit(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
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
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws TooLarge {
        read += n;
        if (read > maxBytes) {
            throw new TooLarge(maxBytes);
        }
    }

    /** An IOException, so that it travels through the CSV parser's reading. */
    static final class TooLarge extends IOException {
        private final long maxBytes;

        TooLarge(long maxBytes) {
            super("upload larger than " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        ProblemException problem() {
            return new ProblemException(413, "upload-too-large", "Upload too large",
                    "The upload is larger than " + maxBytes + " bytes (errand.campaign.max-upload-bytes)");
        }
    }
}
