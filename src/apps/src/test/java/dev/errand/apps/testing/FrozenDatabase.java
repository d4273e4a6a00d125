package dev.errand.apps.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.errand.testing.Rows;

/**
 * A hung database, as a stopped or wedged server looks to the service: the test's PostgreSQL and
 * every process of it (postmaster, backends, background workers) stopped with SIGSTOP. Unlike
 * {@link DatabaseOutage}, nothing refuses or closes a connection: the kernel still accepts new
 * connections into the listen backlog and keeps open ones, but nothing ever answers on them. The
 * processes stay alive, so the embedded launcher's watchdog does not restart them. {@link #close()}
 * sends SIGCONT to them all; the shared server then goes on as before.
 */
public final class FrozenDatabase implements AutoCloseable {

    private final List<Long> stopped;

    private FrozenDatabase(List<Long> stopped) {
        this.stopped = stopped;
    }

    public static FrozenDatabase begin() {
        ProcessHandle postmaster = postmaster();
        List<Long> stopped = new ArrayList<>();
        try {
            // The postmaster first: once it is stopped it forks no new backend, so the list below is whole.
            signal("STOP", List.of(postmaster.pid()));
            stopped.add(postmaster.pid());
            List<Long> children = postmaster.descendants().map(ProcessHandle::pid).toList();
            signal("STOP", children);
            stopped.addAll(children);
            return new FrozenDatabase(stopped);
        } catch (RuntimeException e) {
            signal("CONT", stopped);
            throw e;
        }
    }

    /** The postmaster of the service's database: the parent of a backend of its own. */
    private static ProcessHandle postmaster() {
        try (Connection connection = Rows.connect(null);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("select pg_backend_pid()")) {
            row.next();
            long backend = row.getLong(1);
            return ProcessHandle.of(backend).flatMap(ProcessHandle::parent)
                    .orElseThrow(() -> new IllegalStateException("No postmaster above backend " + backend));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not find the database's processes", e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " did not finish");
            }
            // A backend that ended meanwhile makes kill exit 1; the others got the signal all the same.
        } catch (IOException e) {
            throw new IllegalStateException("Could not send SIG" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal, e);
        }
    }

    @Override
    public void close() {
        signal("CONT", stopped);
    }
}
