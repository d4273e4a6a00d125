package dev.errand.core.idempotency;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class ProcessedMessageRepository implements PanacheRepositoryBase<ProcessedMessage, ProcessedMessage.Key> {

    /**
     * Claims a message for a consumer in the current transaction. Relies on the primary key rather
     * than check-then-insert: a second copy being handled at the same moment waits on the first
     * one's row and, once that commits, finds it taken.
     *
     * @return true when this transaction claimed it, false when it was processed already
     */
    public boolean claim(String consumer, String messageId) {
        return getEntityManager().createNativeQuery("""
                insert into errand_processed_message (consumer, message_id, processed_at)
                values (:consumer, :messageId, now())
                on conflict do nothing""")
                .setParameter("consumer", consumer)
                .setParameter("messageId", messageId)
                .executeUpdate() == 1;
    }

    public boolean isProcessed(String consumer, String messageId) {
        return findByIdOptional(new ProcessedMessage.Key(consumer, messageId)).isPresent();
    }
}
