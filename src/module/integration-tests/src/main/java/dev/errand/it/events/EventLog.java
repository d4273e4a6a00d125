package dev.errand.it.events;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

/** Every run of a test subscriber's handler that completed, by subscriber: runs, not rows. */
@ApplicationScoped
public class EventLog {

    private final Map<String, List<String>> handled = new ConcurrentHashMap<>();
    private final Set<String> healed = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    void record(String subscriber, String id) {
        handled.computeIfAbsent(subscriber, any -> new CopyOnWriteArrayList<>()).add(id);
    }

    /** Ids the subscriber handled, one entry per run, among those starting with {@code prefix}. */
    public List<String> handled(String subscriber, String prefix) {
        return handled.getOrDefault(subscriber, List.of()).stream().filter(id -> id.startsWith(prefix)).toList();
    }

    /** From now on the subscriber no longer fails the events that name it. */
    public void heal(String subscriber) {
        healed.add(subscriber);
    }

    /** Counts an attempt of the subscriber at the event. */
    int attempt(String subscriber, String id) {
        return attempts.merge(subscriber + "/" + id, 1, Integer::sum);
    }

    /** Attempts of the subscriber at the event so far. */
    public int attempts(String subscriber, String id) {
        return attempts.getOrDefault(subscriber + "/" + id, 0);
    }

    boolean healed(String subscriber) {
        return healed.contains(subscriber);
    }
}
