package dev.errand.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on {@code errand.data-dir}, taken before anything in it is touched and held until
 * the embedded servers stop (in practice, for the life of the process). A second process started on
 * the same folder fails at once instead of signalling the first one's PostgreSQL and corrupting its
 * journal.
 * <p>
 * The lock is the operating system's ({@code fcntl}), so it goes away with its process, even after a
 * {@code kill -9}: a stale lock file never blocks a start. The file holds the holder's PID, for the
 * message of the one refused.
 */
final class DataFolderLock implements AutoCloseable {

    static final String FILE = "errand.lock";

    /**
     * Folders this process holds. POSIX drops all of a process's locks on a file when it closes any
     * channel to that file, so a second attempt from this process must not even open the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks the folder, or fails with a message naming it and the holder's PID. */
    static DataFolderLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.toRealPath().resolve(FILE);
        if (!HELD.add(file)) {
            throw inUse(dataDir, Long.toString(ProcessHandle.current().pid()));
        }
        try {
            return lock(dataDir, file);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    /**
     * Whether no process holds the folder: it has a lock file that can be taken (and is let go at once),
     * or it has none and is older than a start could take (a folder just made has no lock file yet).
     */
    static boolean isFree(Path dataDir) {
        try {
            // A process writes its PID into the file as soon as it holds the lock: a file touched within the
            // last minute may belong to a process between creating it and locking it.
            java.time.Instant recently = java.time.Instant.now().minus(java.time.Duration.ofMinutes(1));
            Path file = dataDir.resolve(FILE);
            if (!Files.exists(file)) {
                return Files.getLastModifiedTime(dataDir).toInstant()
                        .isBefore(java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
            }
            if (Files.getLastModifiedTime(file).toInstant().isAfter(recently)) {
                return false;
            }
            acquire(dataDir).close();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static DataFolderLock lock(Path dataDir, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            PrivateFolders.restrict(file);
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw inUse(dataDir, holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new DataFolderLock(file, channel, lock);
    }

    private static IllegalStateException inUse(Path dataDir, String holder) {
        return new IllegalStateException("The data folder " + dataDir.toAbsolutePath()
                + " is in use by another Errand process" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + ": stop that process first, or give this one its own errand.data-dir");
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return text.matches("\\d+") ? text : "";
    }

    @Override
    public void close() throws IOException {
        // The file stays: deleting it would let a third process lock a new file while a second still
        // holds the old one's lock.
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(file);
        }
    }
}
