package dev.errand.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * What to do with a {@code postmaster.pid} found in the data folder before PostgreSQL starts. Called
 * with the data folder locked ({@link DataFolderLock}), so no other Errand process is using it.
 * <ul>
 * <li>Its PID is gone: nothing; PostgreSQL sees that itself and starts.</li>
 * <li>Its PID is PostgreSQL on this folder (left running by a JVM killed with {@code -9}): stopped with
 * SIGINT, PostgreSQL's "fast" shutdown, which flushes and exits cleanly.</li>
 * <li>Its PID is anything else (the number was reused after a reboot or a crash): that process is
 * never signalled. The file is stale and would make PostgreSQL refuse to start, so it is removed,
 * once no process at all works in the folder any more (PostgreSQL's own backends would).</li>
 * </ul>
 * Whether a process is PostgreSQL on this folder is read from {@code /proc/<pid>/cmdline} (the
 * postmaster keeps its {@code postgres -D <folder>} command line) and {@code /proc/<pid>/cwd}
 * (PostgreSQL works in its data folder). Without {@code /proc} nothing is signalled or removed.
 */
final class StalePostmaster {

    private static final Logger LOG = Logger.getLogger(StalePostmaster.class);
    private static final Path PROC = Path.of("/proc");

    private StalePostmaster() {
    }

    static void clear(Path folder) throws IOException {
        Path pidFile = folder.resolve("postmaster.pid");
        Optional<ProcessHandle> named = pidIn(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (named.isEmpty()) {
            return;
        }
        long pid = named.get().pid();
        if (!Files.isDirectory(PROC)) {
            throw new IOException(pidFile + " names process " + pid + ", which is still running, and without /proc"
                    + " it cannot be told whether it is PostgreSQL: stop it, or remove the file if it is not");
        }
        if (isPostgresOn(pid, folder)) {
            LOG.warnf("Stopping PostgreSQL (pid %d) left running by a previous run on %s", pid, folder);
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
                named.get().onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("Could not stop the orphaned PostgreSQL process " + pid, e);
            }
            return;
        }
        List<Long> working = processesIn(folder);
        if (!working.isEmpty()) {
            throw new IOException("Processes " + working + " still work in " + folder
                    + " (PostgreSQL backends of a postmaster that died?): stop them, then start again");
        }
        LOG.warnf("%s named process %d, which is not PostgreSQL on this folder: left alone; the stale file is removed",
                pidFile, pid);
        Files.deleteIfExists(pidFile);
    }

    /** The postmaster's PID from its {@code postmaster.pid}, if the file is there. */
    static Optional<Long> pidIn(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(pidFile, StandardCharsets.US_ASCII)) {
            return lines.findFirst().map(String::trim).filter(line -> line.matches("\\d+")).map(Long::valueOf);
        }
    }

    /** A {@code postgres} executable whose data folder ({@code -D} or working folder) is this one. */
    static boolean isPostgresOn(long pid, Path folder) {
        List<String> arguments = commandLine(pid);
        if (arguments.isEmpty() || !Path.of(arguments.get(0)).getFileName().toString().equals("postgres")) {
            return false;
        }
        int dataFlag = arguments.indexOf("-D");
        if (dataFlag >= 0 && dataFlag + 1 < arguments.size() && sameFolder(Path.of(arguments.get(dataFlag + 1)), folder)) {
            return true;
        }
        return workingFolder(pid).map(cwd -> sameFolder(cwd, folder)).orElse(false);
    }

    private static List<Long> processesIn(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .map(Long::valueOf)
                    .filter(pid -> workingFolder(pid).map(cwd -> sameFolder(cwd, folder)).orElse(false))
                    .toList();
        }
    }

    private static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(PROC.resolve(pid + "/cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    private static Optional<Path> workingFolder(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(pid + "/cwd")));
        } catch (IOException | RuntimeException goneOrNotOurs) {
            return Optional.empty();
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }
}
