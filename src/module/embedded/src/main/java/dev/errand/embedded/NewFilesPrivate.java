package dev.errand.embedded;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Takes group and other permissions from every file and folder created under a folder while the
 * servers run: the broker's new journal files, paging folders and large messages follow the JVM's
 * umask (usually {@code 0644}).
 * <p>
 * Why this way: Java cannot set the umask, and Artemis has no setting for the mode of the files it
 * creates. A periodic walk would leave new files open for a whole period and read the whole tree
 * each time; the watch service (inotify on Linux) reports each new entry within milliseconds and
 * costs nothing while nothing is created. Between creation and the change the file is still behind
 * its {@code 0700} parent folders, so no other user can reach it meanwhile. New folders are watched
 * as they appear; a lost event (overflow) falls back to one walk of the whole tree.
 */
final class NewFilesPrivate implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(NewFilesPrivate.class);

    private final Path root;
    private final WatchService watcher;
    private final Thread thread;

    private NewFilesPrivate(Path root, WatchService watcher) {
        this.root = root;
        this.watcher = watcher;
        this.thread = new Thread(this::run, "errand-embedded-file-modes");
        this.thread.setDaemon(true);
    }

    /** Watches {@code root} and every folder below it, present and future. */
    static NewFilesPrivate watch(Path root) throws IOException {
        NewFilesPrivate guard = new NewFilesPrivate(root, root.getFileSystem().newWatchService());
        guard.registerTree(root);
        guard.thread.start();
        return guard;
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path folder = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW) {
                        restrictQuietly(root);
                        registerTreeQuietly(root);
                    } else if (event.context() instanceof Path name) {
                        Path created = folder.resolve(name);
                        if (Files.isDirectory(created)) {
                            // Registered before its walk, so nothing made inside it meanwhile is missed.
                            registerTreeQuietly(created);
                        }
                        restrictQuietly(created);
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // close()
        }
    }

    private void registerTree(Path folder) throws IOException {
        try (Stream<Path> folders = Files.walk(folder)) {
            for (Path each : (Iterable<Path>) folders.filter(Files::isDirectory)::iterator) {
                each.register(watcher, ENTRY_CREATE);
            }
        }
    }

    private void registerTreeQuietly(Path folder) {
        try {
            registerTree(folder);
        } catch (IOException | RuntimeException goneMeanwhile) {
            // A folder removed at once (a temporary one) needs no watching.
        }
    }

    private static void restrictQuietly(Path path) {
        try {
            PrivateFolders.restrict(path);
        } catch (IOException | RuntimeException e) {
            if (Files.exists(path)) {
                LOG.warnf("Could not make %s private to its owner: %s", path, e.getMessage());
            }
        }
    }

    @Override
    public void close() throws IOException {
        thread.interrupt();
        watcher.close();
    }
}
