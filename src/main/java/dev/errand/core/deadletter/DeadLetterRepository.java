package dev.errand.core.deadletter;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class DeadLetterRepository implements PanacheRepository<DeadLetter> {

    public Optional<DeadLetter> findByMessage(String originalAddress, String messageId) {
        return find("originalAddress = :address and messageId = :messageId",
                Parameters.with("address", originalAddress).and("messageId", messageId)).firstResultOptional();
    }

    /** One page, newest first; {@code queue} null for every queue. */
    public List<DeadLetter> page(DeadLetterStatus status, String queue, int page, int size) {
        return query(status, queue).page(Page.of(page, size)).list();
    }

    public long count(DeadLetterStatus status, String queue) {
        return query(status, queue).count();
    }

    /** The oldest waiting dead letters first, at most {@code limit}. */
    public List<DeadLetter> listForReplay(String queue, int limit) {
        Sort oldestFirst = Sort.by("id");
        return (queue == null
                ? find("status = ?1", oldestFirst, DeadLetterStatus.DEAD_LETTERED)
                : find("status = ?1 and originalAddress = ?2", oldestFirst, DeadLetterStatus.DEAD_LETTERED, queue))
                .page(Page.ofSize(limit)).list();
    }

    public long countByCorrelation(String correlationId, DeadLetterStatus status) {
        return count("correlationId = ?1 and status = ?2", correlationId, status);
    }

    public List<DeadLetter> listByCorrelation(String correlationId, List<DeadLetterStatus> statuses) {
        return list("correlationId = ?1 and status in ?2", Sort.by("id"), correlationId, statuses);
    }

    private io.quarkus.hibernate.orm.panache.PanacheQuery<DeadLetter> query(DeadLetterStatus status, String queue) {
        Sort newestFirst = Sort.by("deadLetteredAt", Sort.Direction.Descending).and("id", Sort.Direction.Descending);
        if (queue == null) {
            return find("status = ?1", newestFirst, status);
        }
        return find("status = ?1 and originalAddress = ?2", newestFirst, status, queue);
    }
}
