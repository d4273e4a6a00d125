package dev.errand.internal.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.internal.config.RetentionConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What Errand's history weighs, read at each pass of the sweep (on every replica, whether it swept or
 * not) and kept for the gauges and the dashboard, which never query on a scrape:
 * <ul>
 * <li>{@code errand.history.rows} and {@code errand.history.size} (bytes, indexes included), tag
 * {@code table}: PostgreSQL's own estimate of the rows (as of the last analyze), not a count;</li>
 * <li>{@code errand.history.oldest.age} (seconds) and {@code errand.retention.window} (seconds), tag
 * {@code kind}: the oldest row retention may remove (what a rule keeps, such as a waiting dead letter's
 * steps, is not counted); one that stays well past its window is not being removed (the alert
 * {@code ErrandHistoryPastRetention}).</li>
 * </ul>
 */
@ApplicationScoped
public class HistoryReadings {

    /** One table's weight. */
    public record Table(String name, long rows, long bytes) {
    }

    /** One kind's oldest removable row, against its window; {@code oldest} is null when there is none. */
    public record Kind(String name, Instant oldest, Duration window) {

        public Duration oldestAge(Instant now) {
            return oldest == null ? Duration.ZERO : Duration.between(oldest, now);
        }
    }

    /** The last reading; empty until the first. */
    public record Reading(Instant at, List<Table> tables, List<Kind> kinds) {

        /**
         * The kinds whose oldest row is well past their window: by a tenth of it and ten minutes more
         * (the sweep's pace and the gauges' staleness), the rule of the alert {@code ErrandHistoryPastRetention}.
         */
        public List<String> pastRetention(Instant now) {
            return kinds.stream().filter(kind -> kind.oldest() != null && kind.oldestAge(now)
                    .compareTo(kind.window().plus(kind.window().dividedBy(10)).plus(PAST_RETENTION_SLACK)) > 0)
                    .map(Kind::name).toList();
        }

        /** One line for the dashboard: each table's rows and size, then what is past its window. */
        public String summary(Instant now) {
            if (at == null) {
                return "not read yet";
            }
            StringBuilder line = new StringBuilder();
            for (Table table : tables) {
                if (!line.isEmpty()) {
                    line.append("; ");
                }
                line.append(table.name().replace("errand_", "")).append(' ').append(table.rows()).append(" rows, ")
                        .append(table.bytes() / (1024 * 1024)).append(" MB");
            }
            List<String> late = pastRetention(now);
            line.append(late.isEmpty() ? ". Nothing past its retention" : ". Past retention: " + String.join(", ", late));
            return line.toString();
        }
    }

    static final Duration PAST_RETENTION_SLACK = Duration.ofMinutes(10);

    private final AgroalDataSource dataSource;
    private final RetentionConfig config;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private volatile Reading last = new Reading(null, List.of(), List.of());

    HistoryReadings(AgroalDataSource dataSource, RetentionConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        for (String table : HistoryKind.TABLES) {
            Gauge.builder("errand.history.rows", tables, all -> all.containsKey(table) ? all.get(table).rows() : Double.NaN)
                    .description("Rows of one of Errand's tables, as PostgreSQL estimates them").tag("table", table)
                    .register(registry);
            Gauge.builder("errand.history.size", tables, all -> all.containsKey(table) ? all.get(table).bytes() : Double.NaN)
                    .description("Bytes of one of Errand's tables, its indexes included").tag("table", table)
                    .baseUnit("bytes").register(registry);
        }
        for (HistoryKind kind : HistoryKind.values()) {
            Gauge.builder("errand.history.oldest.age", kinds,
                    all -> all.containsKey(kind.tag) ? all.get(kind.tag).oldestAge(Instant.now()).toMillis() / 1000.0 : Double.NaN)
                    .description("Age of the oldest row of a kind of history that retention may remove (for idempotency keys, since expiry)")
                    .tag("kind", kind.tag).baseUnit("seconds").register(registry);
            Gauge.builder("errand.retention.window", config, any -> kind.window(any).toMillis() / 1000.0)
                    .description("How long a kind of history is kept").tag("kind", kind.tag).baseUnit("seconds")
                    .register(registry);
        }
    }

    /** Reads the tables' weights and each kind's oldest row. */
    public Reading read() {
        return read(EnumSet.allOf(HistoryKind.class));
    }

    /**
     * Reads the tables' weights, and the oldest row of the kinds given: those whose index is built
     * (without it, the oldest row is a scan of the whole table).
     */
    Reading read(Set<HistoryKind> indexed) {
        try (Connection connection = dataSource.getConnection()) {
            List<Table> weighed = new ArrayList<>();
            try (PreparedStatement weigh = connection.prepareStatement("""
                    select c.relname, greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
                    from pg_class c where c.relname = any(?) and c.relkind in ('r', 'p')
                      and pg_table_is_visible(c.oid)""")) {
                weigh.setArray(1, connection.createArrayOf("text", HistoryKind.TABLES));
                try (ResultSet rows = weigh.executeQuery()) {
                    while (rows.next()) {
                        weighed.add(new Table(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            List<Kind> oldest = new ArrayList<>();
            for (HistoryKind kind : indexed) {
                String sql = kind.oldest();
                double windowSeconds = kind.window(config).toMillis() / 1000.0;
                try (PreparedStatement read = connection.prepareStatement(sql)) {
                    for (int i = 1; i <= HistoryKind.parameters(sql); i++) {
                        read.setDouble(i, windowSeconds);
                    }
                    try (ResultSet row = read.executeQuery()) {
                        Timestamp at = row.next() ? row.getTimestamp(1) : null;
                        oldest.add(new Kind(kind.tag, at == null ? null : at.toInstant(), kind.window(config)));
                    }
                }
            }
            weighed.forEach(table -> tables.put(table.name(), table));
            oldest.forEach(kind -> kinds.put(kind.name(), kind));
            last = new Reading(Instant.now(), List.copyOf(weighed), List.copyOf(oldest));
            return last;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the size of Errand's tables", e);
        }
    }

    public Reading last() {
        return last;
    }
}
