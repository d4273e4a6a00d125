package dev.errand.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The embedded servers' files belong to the service's user alone: the journal holds every message,
 * the database folder every row, and the binaries run as the service. Other local users get no
 * permission on any of them, whatever the umask or the library that wrote them.
 */
final class PrivateFolders {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFolders() {
    }

    /** Creates the folder (and its parents) and makes it private to its owner. */
    static Path create(Path folder) throws IOException {
        Files.createDirectories(folder);
        restrictOne(folder);
        return folder;
    }

    /** Takes every permission of group and others from the folder and everything under it. */
    static void restrict(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.filter(path -> !Files.isSymbolicLink(path)).forEach(path -> {
                try {
                    restrictOne(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A file only its owner can read, holding {@code secret}. */
    static Path secretFile(Path folder, String name, String secret) throws IOException {
        Path file = folder.resolve(name);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, secret);
        return file;
    }

    private static void restrictOne(Path path) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.removeAll(OTHERS)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own access rules are all there is.
        }
    }
}
