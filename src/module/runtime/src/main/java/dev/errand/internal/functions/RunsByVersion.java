package dev.errand.internal.functions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.CallStatus;
import dev.errand.WorkflowVersions;
import io.agroal.api.AgroalDataSource;

/**
 * The workflow runs that may still run code, grouped by the patch markers ({@link WorkflowRuntime#PATCH})
 * they recorded. Read from the step records, with no column of its own: a run's version is what its
 * replay finds. The runs are found by a scan of the call table's unfinished and failed workflows (it has
 * no index on the state), and each one's markers through the step index: an operator's look, not a
 * hot path.
 */
@ApplicationScoped
public class RunsByVersion {

    private static final CallStatus.State[] STATES = { CallStatus.State.PENDING, CallStatus.State.RUNNING,
            CallStatus.State.WAITING, CallStatus.State.FAILED };

    /*
     * A failed run counts while its dead letter waits (its replay would resume it on today's code); the
     * patches are distinct and sorted, so two runs that took the same gates are one version, whatever
     * the order or the number of times they passed them.
     */
    private static final String QUERY = """
            select c.function, p.patches, count(*),
                   count(*) filter (where c.status = 'PENDING'), count(*) filter (where c.status = 'RUNNING'),
                   count(*) filter (where c.status = 'WAITING'), count(*) filter (where c.status = 'FAILED'),
                   min(c.created_at), max(c.created_at),
                   (array_agg(c.id order by c.created_at, c.id))[1:%d]
            from errand_call c
            cross join lateral (
                select coalesce(array_agg(distinct substr(s.name, %d) order by substr(s.name, %d)), '{}') as patches
                from errand_step s
                where s.owner_id = c.id and s.consumer = '' and s.seq is not null and s.name like '%s%%'
            ) p
            where c.workflow and (c.status in ('PENDING', 'RUNNING', 'WAITING')
                or c.status = 'FAILED' and exists (select 1 from errand_dead_letter d
                    where d.message_id = coalesce(c.failed_by, c.id) and (c.failed_by is not null or d.origin = c.origin)
                      and d.status = 'DEAD_LETTERED'))
            %s
            group by c.function, p.patches
            order by c.function, p.patches""";

    private final AgroalDataSource dataSource;

    RunsByVersion(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param function only this function's runs; null for all
     * @param workflows the workflows of the service: each gets an entry, with no runs too
     */
    public List<WorkflowVersions> versions(String function, List<String> workflows) {
        Map<String, List<WorkflowVersions.Version>> byFunction = new TreeMap<>();
        workflows.forEach(name -> byFunction.put(name, new ArrayList<>()));
        String sql = QUERY.formatted(WorkflowVersions.IDS, WorkflowRuntime.PATCH.length() + 1,
                WorkflowRuntime.PATCH.length() + 1, WorkflowRuntime.PATCH, function == null ? "" : "and c.function = ?");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            if (function != null) {
                query.setString(1, function);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Map<CallStatus.State, Long> states = new EnumMap<>(CallStatus.State.class);
                    for (int i = 0; i < STATES.length; i++) {
                        long count = rows.getLong(4 + i);
                        if (count > 0) {
                            states.put(STATES[i], count);
                        }
                    }
                    byFunction.computeIfAbsent(rows.getString(1), name -> new ArrayList<>())
                            .add(new WorkflowVersions.Version(strings(rows.getArray(2)), rows.getLong(3), states,
                                    instant(rows.getTimestamp(8)), instant(rows.getTimestamp(9)),
                                    strings(rows.getArray(10))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the workflows' versions", e);
        }
        List<WorkflowVersions> versions = new ArrayList<>();
        byFunction.forEach((name, found) -> versions.add(
                new WorkflowVersions(name, found.stream().mapToLong(WorkflowVersions.Version::runs).sum(),
                        List.copyOf(found))));
        return versions;
    }

    private static List<String> strings(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
