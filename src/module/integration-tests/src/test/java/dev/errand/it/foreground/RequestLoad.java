package dev.errand.it.foreground;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An open-loop load: requests due at a fixed rate whatever the answers take, each one's latency
 * measured from when it was due, so that a slow answer counts against those queued behind it.
 */
final class RequestLoad {

    /** Latencies in milliseconds, of the requests due after the warm-up. */
    record Result(int requests, double p50, double p99, double max, int failed) {
        @Override
        public String toString() {
            return String.format("%d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed", requests, p50, p99,
                    max, failed);
        }
    }

    private RequestLoad() {
    }

    static Result run(URI uri, int perSecond, Duration length, Duration warmUp) throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(4);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
            long periodNanos = 1_000_000_000L / perSecond;
            int total = (int) (length.toMillis() * perSecond / 1000);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            List<CompletableFuture<Long>> answers = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                CompletableFuture<Long> answer = new CompletableFuture<>();
                answers.add(answer);
                clock.schedule(() -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .whenComplete((response, error) -> {
                            if (error != null || response.statusCode() != 200) {
                                answer.complete(-1L);
                            } else {
                                answer.complete(System.nanoTime() - due);
                            }
                        }), due - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(length.toSeconds() + 120,
                    TimeUnit.SECONDS);
            int skip = (int) (warmUp.toMillis() * perSecond / 1000);
            List<Long> measured = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < total; i++) {
                long nanos = answers.get(i).join();
                if (nanos < 0) {
                    failed++;
                } else if (i >= skip) {
                    measured.add(nanos);
                }
            }
            measured.sort(null);
            return new Result(measured.size(), at(measured, 0.50), at(measured, 0.99),
                    measured.isEmpty() ? 0 : measured.get(measured.size() - 1) / 1e6, failed);
        } finally {
            clock.shutdownNow();
            io.shutdownNow();
        }
    }

    private static double at(List<Long> sorted, double percentile) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile * sorted.size()) - 1)) / 1e6;
    }
}
