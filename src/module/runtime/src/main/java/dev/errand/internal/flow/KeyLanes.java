package dev.errand.internal.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * What may start next, in order: messages ready to run, by priority then arrival, and behind each
 * ordering key the ones that must wait for it. A key has at most one message ready or running; the
 * next of its lane becomes ready when that one is {@link #finished finished}. Not thread-safe: the
 * dispatcher holds its lock around every call.
 *
 * @param <E> an entry of the dispatcher
 */
final class KeyLanes<E> {

    private final PriorityQueue<E> ready;
    private final Comparator<E> order;
    private final Function<E, String> keyOf;
    /** Keys with a message ready, running or waiting to run again; the deque holds the ones behind it. */
    private final Map<String, ArrayDeque<E>> lanes = new HashMap<>();

    KeyLanes(Comparator<E> order, Function<E, String> keyOf) {
        this.ready = new PriorityQueue<>(order);
        this.order = order;
        this.keyOf = keyOf;
    }

    /** A new message: ready, unless a message of its key is ahead of it. */
    void add(E entry) {
        String key = keyOf.apply(entry);
        ArrayDeque<E> lane = key == null ? null : lanes.get(key);
        if (lane != null) {
            lane.addLast(entry);
            return;
        }
        if (key != null) {
            lanes.put(key, new ArrayDeque<>());
        }
        ready.add(entry);
    }

    /** A message that keeps its key's place (it runs again, or waits for a breaker) is ready again. */
    void readyAgain(E entry) {
        ready.add(entry);
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** How many messages are ready. */
    int readyCount() {
        return ready.size();
    }

    /** The most urgent ready message, taken out. */
    E next() {
        return ready.poll();
    }

    /** The entry is done with: the next one of its key may go. */
    void finished(E entry) {
        String key = keyOf.apply(entry);
        if (key == null) {
            return;
        }
        ArrayDeque<E> lane = lanes.get(key);
        E following = lane == null ? null : lane.poll();
        if (following == null) {
            lanes.remove(key);
        } else {
            ready.add(following);
        }
    }

    /**
     * Every ready message, each followed by the ones waiting behind its key, taken out in the order
     * they must go back to the broker; their keys are free again. A key whose message runs (or waits to
     * run again) keeps its lane, to go back after it.
     */
    List<E> takeReadyWithTheirLanes() {
        List<E> heads = new ArrayList<>(ready);
        ready.clear();
        heads.sort(order);
        List<E> all = new ArrayList<>(heads.size());
        for (E head : heads) {
            all.add(head);
            String key = keyOf.apply(head);
            ArrayDeque<E> lane = key == null ? null : lanes.remove(key);
            if (lane != null) {
                all.addAll(lane);
            }
        }
        return all;
    }

    /** Every message not running, taken out (the lanes' keys stay, so a running one still blocks its key). */
    List<E> takeAllWaiting() {
        List<E> all = new ArrayList<>(ready);
        ready.clear();
        for (ArrayDeque<E> lane : lanes.values()) {
            all.addAll(lane);
            lane.clear();
        }
        return all;
    }
}
