package dev.errand.internal.deadletter;

import dev.errand.DeadLetterStatus;
import dev.errand.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.errand.OutboundMessage;
import dev.errand.Origin;
import dev.errand.WireContract;
import dev.errand.internal.broker.BrokerAddresses;
import dev.errand.internal.broker.BrokerConfig;
import dev.errand.internal.contract.DeadLettersConfig;
import dev.errand.internal.contract.FailureKind;
import dev.errand.internal.contract.SafeText;
import dev.errand.internal.sending.ErrandSender;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;

/**
 * Sends dead letters back to the queue they came from, with their original message-id, so they run
 * through the normal path again, idempotency included. The attempt count starts afresh.
 */
@ApplicationScoped
public class DeadLetterReplayer {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplayer.class);

    private static final long SEND_TIMEOUT_SECONDS = 30;
    private static final int REPLAY_BATCH = 1000;

    private final DeadLetterRepository deadLetters;
    private final ErrandSender sender;
    /**
     * Where a replay may go: the queues this service consumes. The original address is data from the
     * message; replaying to it blindly would let whoever wrote it have an administrator deliver a
     * message anywhere the service's broker user may send.
     */
    private final Set<String> replayable;

    public DeadLetterReplayer(DeadLetterRepository deadLetters, ErrandSender sender, Config config,
            BrokerConfig broker, DeadLettersConfig deadLetterSettings) {
        this.deadLetters = deadLetters;
        this.sender = sender;
        String prefix = broker.addressPrefix().orElse("");
        Set<String> queues = new java.util.TreeSet<>(BrokerAddresses.consumedQueues(config, prefix));
        queues.remove(BrokerAddresses.queueName(prefix, deadLetterSettings.address()));
        this.replayable = Set.copyOf(queues);
    }

    /** Replays one dead letter; it must be {@link DeadLetterStatus#DEAD_LETTERED}. */
    public void replay(long id) {
        DeadLetter letter = QuarkusTransaction.requiringNew().call(() -> markReplayed(deadLetters.findById(id)));
        await(send(letter), letter.id);
    }

    /**
     * Replays one {@code untrusted-sender} dead letter as the service's own message: for messages an
     * older version of the service put on the broker unsigned (its outbox, a waiting workflow's resume),
     * refused once the new version checked signatures. An administrator's decision, one letter at a
     * time, logged: adopting an outside sender's message makes it the service's.
     */
    public void adopt(long id) {
        DeadLetter letter = QuarkusTransaction.requiringNew().call(() -> {
            DeadLetter found = deadLetters.findById(id);
            if (found != null && !FailureKind.UNTRUSTED_SENDER.wireName().equals(found.reason)) {
                throw new DeadLetterNotReplayable("Dead letter " + id + " is " + found.reason
                        + ": only an untrusted-sender dead letter can be adopted");
            }
            return markReplayed(found);
        });
        LOG.warnf("Dead letter %d (message %s on %s) adopted by an administrator: replayed as the service's own",
                letter.id, SafeText.forLog(letter.messageId), letter.originalAddress);
        await(send(letter, Map.of(WireContract.REPLAYED, letter.replayCount)), letter.id);
    }

    /**
     * Replays every waiting dead letter of a queue (or of all queues when null) that the selection takes;
     * returns how many.
     */
    public int replayAll(String queue, BulkSelection selection) {
        if (queue != null && !replayable.contains(queue)) {
            return 0;
        }
        // A letter replayed here that fails again at once is dead-lettered after this began: it is not
        // taken again, so the loop ends.
        BulkSelection taken = selection.endingBy(Instant.now());
        int replayed = 0;
        while (true) {
            // In batches, so a dead-letter queue of 50,000 neither sits in memory nor in one transaction.
            List<DeadLetter> letters = QuarkusTransaction.requiringNew().call(() -> {
                List<DeadLetter> waiting = deadLetters.listForReplay(queue == null ? replayable : Set.of(queue),
                        taken, REPLAY_BATCH);
                waiting.forEach(this::markReplayed);
                return waiting;
            });
            if (letters.isEmpty()) {
                return replayed;
            }
            // A failed send was reverted to DEAD_LETTERED; stop rather than pick it up again at once.
            sendAll(letters);
            replayed += letters.size();
        }
    }

    /** How many dead letters {@link #replayAll} would replay now: a dry run. */
    public long countReplayable(String queue, BulkSelection selection) {
        if (queue != null && !replayable.contains(queue)) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> deadLetters.countForReplay(
                queue == null ? replayable : Set.of(queue), selection));
    }

    /**
     * Replays the chosen dead letters that are still waiting; those already replayed, discarded or
     * gone are left alone and listed as skipped.
     */
    public Selection replaySelected(List<Long> ids) {
        List<DeadLetter> letters = QuarkusTransaction.requiringNew().call(() -> waiting(ids).stream()
                .map(this::markReplayed).toList());
        sendAll(letters);
        return Selection.of(ids, letters);
    }

    /** Discards the chosen dead letters that are still waiting. */
    public Selection discardSelected(List<Long> ids) {
        List<DeadLetter> letters = QuarkusTransaction.requiringNew().call(() -> {
            List<DeadLetter> waiting = waiting(ids);
            waiting.forEach(DeadLetter::discard);
            return waiting;
        });
        return Selection.of(ids, letters);
    }

    /** What a selection came to: the ids acted on, and those skipped. */
    public record Selection(List<Long> done, List<Long> skipped) {

        static Selection of(List<Long> asked, List<DeadLetter> acted) {
            List<Long> done = acted.stream().map(letter -> letter.id).toList();
            return new Selection(done, asked.stream().filter(id -> !done.contains(id)).distinct().toList());
        }
    }

    private List<DeadLetter> waiting(List<Long> ids) {
        return deadLetters.list("id in ?1 and status = ?2 and originalAddress in ?3", Sort.by("id"), ids,
                DeadLetterStatus.DEAD_LETTERED, replayable);
    }

    /** Sends them all and waits for the broker; a failed send goes back to DEAD_LETTERED. */
    private void sendAll(List<DeadLetter> letters) {
        List<CompletableFuture<Void>> sends = letters.stream().map(letter -> send(letter)
                .exceptionallyCompose(error -> {
                    revert(letter.id);
                    return CompletableFuture.failedStage(error);
                }).toCompletableFuture()).toList();
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).orTimeout(SEND_TIMEOUT_SECONDS,
                TimeUnit.SECONDS).join();
    }

    /**
     * Marked before sending: if the message failed again before a later update, that update would
     * overwrite its new dead-letter record.
     */
    private DeadLetter markReplayed(DeadLetter letter) {
        if (letter == null) {
            throw new DeadLetterNotFound();
        }
        if (letter.status != DeadLetterStatus.DEAD_LETTERED) {
            throw new DeadLetterNotReplayable(letter.id, letter.status);
        }
        if (!replayable.contains(letter.originalAddress)) {
            throw new DeadLetterNotReplayable(letter.id, letter.originalAddress);
        }
        letter.status = DeadLetterStatus.REPLAYED;
        letter.resolvedAt = Instant.now();
        letter.replayCount++;
        return letter;
    }

    private CompletionStage<Void> send(DeadLetter letter) {
        return send(letter, replayProperties(letter));
    }

    private CompletionStage<Void> send(DeadLetter letter, Map<String, Object> properties) {
        return sender.send(new OutboundMessage(letter.originalAddress, letter.messageId, letter.subject,
                letter.correlationId, letter.priority, letter.body,
                letter.contentType == null ? WireContract.CONTENT_TYPE : letter.contentType, properties));
    }

    /** A replay keeps its letter's origin: an outside sender's message does not become the service's by it. */
    private static Map<String, Object> replayProperties(DeadLetter letter) {
        return Origin.OUTSIDE.wireName().equals(letter.origin)
                ? Map.of(WireContract.REPLAYED, letter.replayCount, WireContract.ORIGIN, letter.origin)
                : Map.of(WireContract.REPLAYED, letter.replayCount);
    }

    private void await(CompletionStage<Void> send, long id) {
        try {
            send.toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            revert(id);
            throw new IllegalStateException("The broker did not accept the replayed message " + id, e);
        }
    }

    private void revert(long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            DeadLetter letter = deadLetters.findById(id);
            if (letter != null && letter.status == DeadLetterStatus.REPLAYED) {
                letter.status = DeadLetterStatus.DEAD_LETTERED;
                letter.resolvedAt = null;
            }
        });
    }

    /** No dead letter has that id. */
    public static class DeadLetterNotFound extends ProblemException {
        public DeadLetterNotFound() {
            super(404, "not-found", "Not found", "No dead letter with that id");
        }
    }

    /** The dead letter was already replayed or discarded. */
    public static class DeadLetterNotReplayable extends ProblemException {
        private static final String TYPE = "not-replayable";
        private static final String TITLE = "Dead letter cannot be replayed";

        DeadLetterNotReplayable(long id, DeadLetterStatus status) {
            super(409, TYPE, TITLE, "Dead letter " + id + " is " + status + ", only DEAD_LETTERED can be replayed");
        }

        DeadLetterNotReplayable(long id, String address) {
            super(409, TYPE, TITLE, "Dead letter " + id + " came from '" + address + "', which is not a queue this service consumes;"
                    + " it can only be discarded");
        }

        DeadLetterNotReplayable(String reason) {
            super(409, TYPE, TITLE, reason);
        }
    }
}
