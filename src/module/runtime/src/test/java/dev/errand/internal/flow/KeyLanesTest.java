package dev.errand.internal.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which message may start next: one per key, in arrival order within it, the most urgent first across keys. */
class KeyLanesTest {

    record Message(String name, String key, int priority, long arrival) {
    }

    private static final Comparator<Message> URGENT_FIRST = Comparator.comparingInt((Message m) -> -m.priority())
            .thenComparingLong(Message::arrival);

    private final KeyLanes<Message> lanes = new KeyLanes<>(URGENT_FIRST, Message::key);

    @Test
    void aKeysNextMessageWaitsUntilTheOneAheadOfItIsFinished() {
        Message first = new Message("a1", "a", 4, 1);
        Message second = new Message("a2", "a", 9, 2);
        lanes.add(first);
        lanes.add(second);

        assertEquals(first, lanes.next());
        // a2 is more urgent, but its key is busy with a1.
        assertFalse(lanes.hasReady());
        lanes.finished(first);
        assertEquals(second, lanes.next());
        lanes.finished(second);
        assertNull(lanes.next());
    }

    @Test
    void acrossKeysTheMostUrgentGoesFirstThenTheEarliest() {
        lanes.add(new Message("normal", "a", 4, 1));
        lanes.add(new Message("unkeyed", null, 4, 2));
        lanes.add(new Message("urgent", "b", 9, 3));

        assertEquals(List.of("urgent", "normal", "unkeyed"),
                List.of(lanes.next().name(), lanes.next().name(), lanes.next().name()));
    }

    @Test
    void aMessageThatRunsAgainKeepsItsKeysPlace() {
        Message flaky = new Message("a1", "a", 4, 1);
        lanes.add(flaky);
        lanes.add(new Message("a2", "a", 4, 2));
        lanes.next();

        lanes.readyAgain(flaky);

        assertEquals(flaky, lanes.next());
        assertFalse(lanes.hasReady());
    }

    @Test
    void takingAllWaitingLeavesNothingReadyAndTheRunningKeyStillBlocked() {
        Message running = new Message("a1", "a", 4, 1);
        lanes.add(running);
        lanes.add(new Message("a2", "a", 4, 2));
        lanes.add(new Message("b1", "b", 4, 3));
        lanes.next();

        assertEquals(List.of("b1", "a2"), lanes.takeAllWaiting().stream().map(Message::name).toList());
        lanes.add(new Message("a3", "a", 4, 4));
        assertFalse(lanes.hasReady());
    }
}
