package dev.errand.it.functions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.Call;
import dev.errand.DurableFunction;

/** The function the schedule tests start on each tick, counting its runs by schedule and tick. */
@ApplicationScoped
public class ScheduledFunctions {

    private final Map<String, Integer> runs = new ConcurrentHashMap<>();

    @DurableFunction(name = "test-scheduled")
    public Call<String> scheduled(String schedule, String tick) {
        runs.merge(schedule + "@" + tick, 1, Integer::sum);
        return Call.returning(schedule + "@" + tick);
    }

    public int runs(String schedule, String tick) {
        return runs.getOrDefault(schedule + "@" + tick, 0);
    }
}
