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

    /** The oldest waiting dead letters first, at most {@code limit}. */
    public List<DeadLetter> listForReplay(java.util.Collection<String> queues, int limit) {
        if (queues.isEmpty()) {
            return List.of();
        }
        return find("status = ?1 and originalAddress in ?2", Sort.by("id"), DeadLetterStatus.DEAD_LETTERED, queues)
                .page(Page.ofSize(limit)).list();
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
