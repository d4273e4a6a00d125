package dev.errand.internal.deadletter;

import dev.errand.DeadLetterStatus;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Origin;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class DeadLetterRepository implements PanacheRepository<DeadLetter> {

    private static final String SERVICE = Origin.SERVICE.wireName();

    /** An outside sender's dead letter and the service's own with the same id are two letters. */
    public Optional<DeadLetter> findByMessage(String originalAddress, String messageId, String origin) {
        return find("originalAddress = :address and messageId = :messageId and origin = :origin",
                Parameters.with("address", originalAddress).and("messageId", messageId).and("origin", origin))
                .firstResultOptional();
    }

    /** One page, newest first; {@code queue} and {@code reason} null for any. */
    public List<DeadLetter> page(DeadLetterStatus status, String queue, String reason, int page, int size) {
        return query(status, queue, reason).page(Page.of(page, size)).list();
    }

    public long count(DeadLetterStatus status, String queue, String reason) {
        return query(status, queue, reason).count();
    }

    /** How many letters of a status each queue has, by reason. */
    public record Tally(String queue, String reason, long count) {
    }

    public List<Tally> tally(DeadLetterStatus status) {
        return getEntityManager().createQuery("select d.originalAddress, d.reason, count(d) from DeadLetter d"
                + " where d.status = :status group by d.originalAddress, d.reason"
                + " order by d.originalAddress, d.reason", Object[].class)
                .setParameter("status", status)
                .getResultList().stream()
                .map(row -> new Tally((String) row[0], (String) row[1], ((Number) row[2]).longValue()))
                .toList();
    }

    /** The oldest waiting dead letters first, of those queues and this selection, at most {@code limit}. */
    public List<DeadLetter> listForReplay(java.util.Collection<String> queues, BulkSelection selection, int limit) {
        if (queues.isEmpty()) {
            return List.of();
        }
        return waiting(queues, selection, Sort.by("id")).page(Page.ofSize(limit)).list();
    }

    /** How many {@link #listForReplay} would find, all pages together. */
    public long countForReplay(java.util.Collection<String> queues, BulkSelection selection) {
        return queues.isEmpty() ? 0 : waiting(queues, selection, null).count();
    }

    private io.quarkus.hibernate.orm.panache.PanacheQuery<DeadLetter> waiting(java.util.Collection<String> queues,
            BulkSelection selection, Sort sort) {
        StringBuilder where = new StringBuilder("status = :status and originalAddress in :queues");
        Parameters parameters = Parameters.with("status", DeadLetterStatus.DEAD_LETTERED).and("queues", queues);
        if (selection.reason() != null) {
            where.append(" and reason = :reason");
            parameters.and("reason", selection.reason());
        }
        if (selection.from() != null) {
            where.append(" and deadLetteredAt >= :from");
            parameters.and("from", selection.from());
        }
        if (selection.to() != null) {
            where.append(" and deadLetteredAt < :to");
            parameters.and("to", selection.to());
        }
        return sort == null ? find(where.toString(), parameters) : find(where.toString(), sort, parameters);
    }

    /**
     * A restarted workflow's dead letters are resolved, as replayed: the workflow runs again, and a
     * replay of one of them later would run it on top of the restart. Its own messages are its start
     * (of the call's origin) and its timers and wake-ups ({@code <id>/wait:…}, {@code <id>/wake:…}, the
     * service's); a child's ({@code <id>/<n>}) are its child's.
     *
     * @param consumer the workflow's consumer
     * @return how many were resolved
     */
    public int resolveRestarted(String consumer, String callId, String callOrigin) {
        return update("""
                status = ?1, resolvedAt = ?2, replayCount = replayCount + 1
                where status = ?3 and consumer = ?4
                  and (messageId = ?5 and origin = ?6
                       or origin = ?7 and (messageId like ?8 escape '!' or messageId like ?9 escape '!'))""",
                DeadLetterStatus.REPLAYED, java.time.Instant.now(), DeadLetterStatus.DEAD_LETTERED, consumer,
                callId, callOrigin, SERVICE, likePrefix(callId + "/wait:"), likePrefix(callId + "/wake:"));
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    public long countByCorrelation(String correlationId, DeadLetterStatus status) {
        // An outside sender's correlation-id is its say, not a fact: only the service's own letters count.
        return count("correlationId = ?1 and status = ?2 and origin = ?3", correlationId, status, SERVICE);
    }

    public List<DeadLetter> listByCorrelation(String correlationId, List<DeadLetterStatus> statuses) {
        return list("correlationId = ?1 and status in ?2 and origin = ?3", Sort.by("id"), correlationId, statuses,
                SERVICE);
    }

    private io.quarkus.hibernate.orm.panache.PanacheQuery<DeadLetter> query(DeadLetterStatus status, String queue,
            String reason) {
        Sort newestFirst = Sort.by("deadLetteredAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending);
        StringBuilder where = new StringBuilder("status = :status");
        Parameters parameters = Parameters.with("status", status);
        if (queue != null && !queue.isBlank()) {
            where.append(" and originalAddress = :queue");
            parameters.and("queue", queue);
        }
        if (reason != null && !reason.isBlank()) {
            where.append(" and reason = :reason");
            parameters.and("reason", reason);
        }
        return find(where.toString(), newestFirst, parameters);
    }
}
