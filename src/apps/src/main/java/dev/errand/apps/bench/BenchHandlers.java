package dev.errand.apps.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.errand.Task;
import io.agroal.api.AgroalDataSource;

/**
 * The two handlers bench/throughput.sh drains a pre-filled queue with: one that does nothing, so
 * what is measured is Errand's own work per message (contract check, processed-message marker,
 * commit, ack), and one that inserts one row, the typical handler. Idle unless the benchmark fills
 * their queues.
 */
@ApplicationScoped
public class BenchHandlers {

    public static final String NOOP = "bench-noop";
    public static final String INSERT = "bench-insert";

    private final AgroalDataSource dataSource;
    /** Handled per channel: the benchmark polls this rather than count markers in the database it measures. */
    private final Map<String, LongAdder> handled = new ConcurrentHashMap<>();

    public BenchHandlers(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Incoming(NOOP)
    void noop(BenchItem item, Task<BenchItem> task) {
        counter(NOOP).increment();
    }

    @Incoming(INSERT)
    void insert(BenchItem item, Task<BenchItem> task) throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into bench_item (message_id, n) values (?, ?)")) {
            insert.setString(1, task.messageId());
            insert.setLong(2, item.n());
            insert.executeUpdate();
        }
        counter(INSERT).increment();
    }

    long handled(String channel) {
        return counter(channel).sum();
    }

    private LongAdder counter(String channel) {
        return handled.computeIfAbsent(channel, any -> new LongAdder());
    }
}
