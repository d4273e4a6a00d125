package dev.errand;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Steps#inMemory()}: what a handler's unit test records, gone with the test. */
final class InMemorySteps implements Steps {

    private record Key(String consumer, String messageId, String step) {
    }

    private final Map<Key, Done> done = new ConcurrentHashMap<>();

    @Override
    public String once(String consumer, String messageId, String step, Callable<String> work) throws Exception {
        Key key = new Key(consumer, messageId, step);
        Done recorded = done.get(key);
        if (recorded != null) {
            return recorded.result();
        }
        String result = work.call();
        // The first record stays, as in the database ("on conflict do nothing"); a null result reads
        // back as "null" there, and so here.
        done.putIfAbsent(key, new Done(step, result == null ? "null" : result, Instant.now()));
        return result;
    }

    @Override
    public List<Done> done(String consumer, String messageId) {
        List<Done> steps = new ArrayList<>();
        done.forEach((key, step) -> {
            if (key.consumer().equals(consumer) && key.messageId().equals(messageId)) {
                steps.add(step);
            }
        });
        steps.sort(Comparator.comparing(Done::doneAt).thenComparing(Done::step));
        return steps;
    }
}
