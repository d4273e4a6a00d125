package dev.errand.embedded;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;

import dev.errand.DeadLetterStatus;
import dev.errand.DeadLetters;
import dev.errand.Outbox;
import dev.errand.internal.deadletter.StoredDeadLetters;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.handling.ConsumerRegistry;
import dev.errand.internal.outbox.OutboxRelay;
import dev.errand.internal.schedules.ScheduleRunner;
import dev.errand.internal.time.ErrandClock;

/**
 * What a service's {@code @QuarkusTest} needs to test its asynchronous work the way it runs: wait until
 * Errand has nothing left to do, read the dead letters, and skip time, so that a workflow that waits a day
 * for an approval is tested in seconds (as Temporal's {@code TestWorkflowEnvironment} skips time).
 * <pre>{@code
 * @Inject ErrandTestKit errand;
 *
 * approvals.request(order);          // the workflow waits a day for a signal
 * errand.advance(Duration.ofHours(25));
 * assertEquals("EXPIRED", orders.find(order).status());
 * }</pre>
 * Injected in tests alone (Errand's build adds it in test mode when {@code errand-embedded} is on the class
 * path), against the embedded Artemis that the test started: it reaches into that broker to deliver the
 * messages it holds for later.
 * <p>
 * How skipping works: Errand decides every wait by its own clock ({@code ErrandClock}), the wall clock
 * plus what was skipped; {@link #advance} moves that clock forward, hands over at once what the broker
 * holds that is due by it (timers of sleeps and signal timeouts, deadlines, scheduled retries), and makes
 * the schedules look again. The database's {@code now()} is not moved: it only stamps bookkeeping.
 */
@Singleton
public class ErrandTestKit {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEAD_LETTERS_READ = 1000;
    private static final SimpleString DUE = SimpleString.of(ErrandClock.DUE_ANNOTATION);

    private final ErrandClock clock;
    private final ConsumerRegistry consumers;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final ScheduleRunner schedules;
    private final StoredDeadLetters deadLetters;

    ErrandTestKit(ErrandClock clock, ConsumerRegistry consumers, Outbox outbox, OutboxRelay relay,
            ScheduleRunner schedules, StoredDeadLetters deadLetters) {
        this.clock = clock;
        this.consumers = consumers;
        this.outbox = outbox;
        this.relay = relay;
        this.schedules = schedules;
        this.deadLetters = deadLetters;
    }

    /** Errand's time now: the wall clock plus everything skipped so far in this application. */
    public Instant now() {
        return clock.instant();
    }

    /** Waits (30 seconds at most) until Errand is idle: see {@link #awaitIdle(Duration)}. */
    public void awaitIdle() {
        awaitIdle(DEFAULT_TIMEOUT);
    }

    /**
     * Waits until Errand has nothing to do before a later time: the outbox is empty, no consumer runs or
     * holds a message, and no queue that a consumer reads holds a message that is due (only those the broker
     * keeps for later, scheduled, are left). Seen so twice in a row, with nothing sent or settled between,
     * so that a message on its way from one to another is not missed.
     *
     * @throws AssertionError when it is not idle by {@code timeout}, with what was still busy
     */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Busy before = null;
        while (true) {
            relay.wakeUp();
            Busy now = busy();
            if (now.idle() && now.equals(before)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Errand was not idle within " + timeout + ": " + now);
            }
            before = now;
            pause();
        }
    }

    /**
     * Moves Errand's time {@code time} ahead, and waits until what falls due within it has run: durable
     * sleeps and signal timeouts end, deadlines pass, retries that the broker holds come back, schedules
     * tick (by their {@code Missed} policy, as after an outage of that long). What those runs start and
     * is due by then runs too. First it waits until Errand is idle, so that every wait begun before is
     * recorded, with its timer on the broker.
     * <p>
     * Everything due by the new time runs now, not in the order of due times: advance in steps to see
     * what happens in between. Time does not go back; it stays skipped for the life of the application,
     * so tests that share one compare with {@link #now()}, not with the wall clock.
     */
    public void advance(Duration time) {
        awaitIdle();
        clock.skip(time);
        schedules.lookNow();
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        // A run that is handed over may begin another wait that is already due (a retry a minute later,
        // in a day skipped): hand over until nothing due is left.
        while (deliverDue() > 0) {
            awaitIdle();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Errand kept finding due messages for " + DEFAULT_TIMEOUT
                        + " after skipping " + time + ": a retry loop?");
            }
        }
        awaitIdle();
    }

    /** The service's dead letters waiting for an operator, newest first (at most a thousand). */
    public List<DeadLetters.Letter> deadLetters() {
        return deadLetters(DeadLetterStatus.DEAD_LETTERED);
    }

    /** The service's dead letters in this state, newest first (at most a thousand). */
    public List<DeadLetters.Letter> deadLetters(DeadLetterStatus status) {
        return deadLetters.newest(status, DEAD_LETTERS_READ);
    }

    /** Hands the consumers what the broker holds that is due by Errand's time; how many. */
    private int deliverDue() {
        long now = clock.millis();
        int delivered = 0;
        for (Queue queue : queues(broker())) {
            for (MessageReference scheduled : queue.getScheduledMessages()) {
                if (due(scheduled) <= now) {
                    try {
                        queue.deliverScheduledMessage(scheduled.getMessageID());
                        delivered++;
                    } catch (Exception e) {
                        throw new IllegalStateException("Could not deliver scheduled message "
                                + scheduled.getMessageID() + " on " + queue.getName(), e);
                    }
                }
            }
        }
        return delivered;
    }

    /**
     * When a held message is due in Errand's time: as sent after a skip (ErrandSender carries it beside the
     * broker's wall-clock time), else the broker's own time, which was Errand's when nothing was skipped.
     */
    private static long due(MessageReference scheduled) {
        Object due = scheduled.getMessage().getAnnotation(DUE);
        return due instanceof Number number ? number.longValue() : scheduled.getScheduledDeliveryTime();
    }

    private Busy busy() {
        List<String> busy = new ArrayList<>();
        long added = 0;
        long acknowledged = 0;
        for (Queue queue : queues(broker())) {
            if (queue.getConsumerCount() == 0) {
                // Nobody here reads it (another service's queue): what waits there is not Errand's work.
                continue;
            }
            added += queue.getMessagesAdded();
            acknowledged += queue.getMessagesAcknowledged();
            long due = queue.getMessageCount() - queue.getScheduledCount();
            if (due > 0) {
                busy.add(queue.getName() + " holds " + due);
            }
        }
        for (ChannelDispatcher.View consumer : consumers.views()) {
            if (consumer.running() > 0 || consumer.waiting() > 0) {
                busy.add(consumer.channel() + " runs " + consumer.running() + ", waiting " + consumer.waiting());
            }
        }
        long unsent = outbox.backlog(null).messages();
        if (unsent > 0) {
            busy.add("the outbox holds " + unsent);
        }
        return new Busy(List.copyOf(busy), added, acknowledged);
    }

    /** One look at what is busy, with the broker's running counts to tell two looks apart. */
    private record Busy(List<String> what, long added, long acknowledged) {
        boolean idle() {
            return what.isEmpty();
        }

        @Override
        public String toString() {
            return idle() ? "idle" : String.join("; ", what);
        }
    }

    private static List<Queue> queues(ActiveMQServer server) {
        List<Queue> queues = new ArrayList<>();
        for (String name : server.getActiveMQServerControl().getQueueNames()) {
            Queue queue = server.locateQueue(name);
            if (queue != null && !queue.isTemporary() && !queue.isInternalQueue()) {
                queues.add(queue);
            }
        }
        return queues;
    }

    private static ActiveMQServer broker() {
        return EmbeddedServers.running().flatMap(EmbeddedServers::broker).map(EmbeddedBroker::server)
                .orElseThrow(() -> new IllegalStateException("ErrandTestKit works with the embedded Artemis that"
                        + " errand-embedded starts in this JVM, and none runs (an external broker is configured?)"));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Errand", e);
        }
    }
}
