import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A load generator for POST /lemonade/orders, small and cheap enough to share two cores with the
 * service: requests are due at a fixed rate for a fixed time, and each one's latency is measured from
 * when it was due, so an answer that comes late also counts against the requests that had to wait
 * behind it (no coordinated omission). --connections kept-alive HTTP/1.1 connections, one blocking
 * thread each, take the next due request in turn. Bounded in count (rate x seconds) and time (each
 * answer within --timeout seconds).
 *
 *   java bench/burst/BurstLoad.java --url http://127.0.0.1:18080/lemonade/orders --rate 800 --seconds 30 \
 *       --out requests.tsv
 *   java bench/burst/BurstLoad.java --url http://127.0.0.1:18080/orders --body orders --rate 500 --seconds 60
 *
 * Writes one line per request (due second, status, latency ms, cups; status 0 for no answer) and
 * prints a JSON summary: answers by status, latency p50/p95/p99/max in ms, cups of the accepted orders.
 */
public class BurstLoad {

    record Answer(double dueSecond, int status, double millis, int cups) {
    }

    /** The demo's products (V5__orders.sql), 100,000 of each in stock. */
    private static final String[] SKUS = { "MUG-01", "TEE-01", "STK-01" };

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:18080/lemonade/orders"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "800"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        int timeout = Integer.parseInt(options.getOrDefault("timeout", "30"));
        String prefix = options.getOrDefault("customer-prefix", "burst");
        // "lemonade" (POST /lemonade/orders) or "orders" (POST /orders, one line, every tenth urgent).
        boolean orders = options.getOrDefault("body", "lemonade").equals("orders");
        Path out = Path.of(options.getOrDefault("out", "requests.tsv"));

        long total = (long) rate * seconds;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        AtomicLong next = new AtomicLong();
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread worker = new Thread(() -> {
                Connection connection = null;
                for (long i; (i = next.getAndIncrement()) < total;) {
                    long due = start + i * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    int cups = 1 + (int) (i % 3);
                    String body = orders
                            ? "{\"customerEmail\": \"" + prefix + "-" + (i % 1000) + "@example.com\", \"lines\": [{\"sku\": \""
                                    + SKUS[(int) (i % SKUS.length)] + "\", \"quantity\": " + cups + "}], \"urgent\": " + (i % 10 == 0) + "}"
                            : "{\"customer\": \"" + prefix + "-" + (i % 1000) + "\", \"cups\": " + cups + "}";
                    int status;
                    try {
                        if (connection == null) {
                            connection = new Connection(url, timeout);
                        }
                        status = connection.post(body);
                        if (connection.closed) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        status = 0;
                        if (connection != null) {
                            connection.close();
                        }
                        connection = null;
                    }
                    answers.add(new Answer((due - start) / 1e9, status, (System.nanoTime() - due) / 1e6, cups));
                }
                if (connection != null) {
                    connection.close();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Answer> all = new ArrayList<>(answers);
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out))) {
            writer.println("second\tstatus\tmillis\tcups");
            for (Answer answer : all) {
                writer.printf("%.3f\t%d\t%.2f\t%d%n", answer.dueSecond(), answer.status(), answer.millis(), answer.cups());
            }
        }
        Map<String, Long> byStatus = new TreeMap<>();
        all.forEach(answer -> byStatus.merge(answer.status() == 0 ? "failed" : Integer.toString(answer.status()), 1L,
                Long::sum));
        List<Double> latencies = new ArrayList<>(all.stream().map(Answer::millis).toList());
        Collections.sort(latencies);
        long cups = all.stream().filter(answer -> answer.status() == 202).mapToLong(Answer::cups).sum();
        StringBuilder statuses = new StringBuilder();
        byStatus.forEach((status, count) -> statuses.append(statuses.length() == 0 ? "" : ", ")
                .append('"').append(status).append("\": ").append(count));
        System.out.printf("{\"sent\": %d, \"rate\": %d, \"seconds\": %d, \"connections\": %d, \"statuses\": {%s}, "
                + "\"p50_ms\": %.1f, \"p95_ms\": %.1f, \"p99_ms\": %.1f, \"max_ms\": %.1f, \"accepted_cups\": %d, "
                + "\"answered_in_s\": %.1f, \"answered_per_s\": %.0f}%n",
                total, rate, seconds, connections, statuses, percentile(latencies, 50), percentile(latencies, 95),
                percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), cups, elapsed,
                all.size() / elapsed);
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** One kept-alive HTTP/1.1 connection: a request, then its whole answer, then the next. */
    static final class Connection {
        private final Socket socket = new Socket();
        private final OutputStream output;
        private final InputStream input;
        private final String head;
        /** The server said it closes the connection after this answer. */
        boolean closed;

        Connection(URI url, int timeoutSeconds) throws IOException {
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
            socket.setSoTimeout(timeoutSeconds * 1000);
            socket.setTcpNoDelay(true);
            output = socket.getOutputStream();
            input = new BufferedInputStream(socket.getInputStream());
            head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: ";
        }

        int post(String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            output.write((head + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            output.write(bytes);
            output.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = 0;
            boolean close = false;
            for (String header; !(header = line()).isEmpty();) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            input.readNBytes(length);
            closed = close;
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = input.read()) != '\n';) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
