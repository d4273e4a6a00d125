package dev.errand.apps;

import static dev.errand.testing.Users.asViewer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The queues docs/operations/running.md tells an operator to declare on an external broker are the
 * queues this build reads, no more and no fewer, and bench/rabbitmq/definitions.json declares each as
 * the page says. The service's list is the operator's own: the dashboard's queues.
 */
@QuarkusTest
class ExternalBrokerQueuesTest {

    private static final Path RUNNING = Path.of("../../docs/operations/running.md");
    private static final Path RABBITMQ_DEFINITIONS = Path.of("../../bench/rabbitmq/definitions.json");
    private static final String BEGIN = "<!-- external-broker-queues:begin -->";
    private static final String END = "<!-- external-broker-queues:end -->";
    /** A table row: | `queue` | for | kind | priority | per-key order |. */
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`([^`]+)`\\s*\\|[^|]*\\|\\s*(\\w+)\\s*\\|\\s*(yes|no)\\s*\\|\\s*(yes|no)\\s*\\|$");
    private static final Set<String> KINDS = Set.of("work", "function", "subscription", "Errand");

    /** One documented queue. */
    record Documented(String kind, boolean priority, boolean perKeyOrder) {
    }

    @Test
    void theDocsListEveryQueueTheServiceReadsAndNoOther() throws IOException {
        SortedSet<String> documented = new TreeSet<>(documentedQueues().keySet());
        SortedSet<String> read = queuesTheServiceReads(documented);

        SortedSet<String> missing = new TreeSet<>(read);
        missing.removeAll(documented);
        SortedSet<String> extra = new TreeSet<>(documented);
        extra.removeAll(read);
        List<String> differences = new ArrayList<>();
        if (!missing.isEmpty()) {
            differences.add("the service reads " + missing + ", which the list lacks");
        }
        if (!extra.isEmpty()) {
            differences.add("the list names " + extra + ", which the service does not read");
        }
        assertEquals(List.of(), differences, RUNNING + ", between " + BEGIN + " and " + END);
    }

    @Test
    void theRabbitMqDefinitionsDeclareEveryDocumentedQueueAsThePageSays() throws IOException {
        Map<String, JsonNode> declared = new TreeMap<>();
        new ObjectMapper().readTree(RABBITMQ_DEFINITIONS.toFile()).get("queues")
                .forEach(queue -> declared.put(queue.get("name").asText(), queue));
        List<String> wrong = new ArrayList<>();
        documentedQueues().forEach((name, documented) -> {
            JsonNode queue = declared.get(name);
            if (queue == null) {
                wrong.add(name + " is not declared");
                return;
            }
            JsonNode arguments = queue.get("arguments");
            if (!queue.get("durable").asBoolean()) {
                wrong.add(name + " is not durable");
            }
            if (arguments.has("x-max-priority") != documented.priority()) {
                wrong.add(name + (documented.priority() ? " lacks" : " has") + " x-max-priority");
            }
            if (arguments.path("x-single-active-consumer").asBoolean() != documented.perKeyOrder()) {
                wrong.add(name + (documented.perKeyOrder() ? " lacks" : " has") + " x-single-active-consumer");
            }
        });
        assertEquals(List.of(), wrong, RABBITMQ_DEFINITIONS + " against " + RUNNING);
    }

    /**
     * The operator's view: the dashboard names every queue the service reads once it has read them once.
     * A reading taken early may lack some, so it reads until it matches {@code expected} or 30 s have
     * passed, and returns what it read last, for the comparison to name the differences.
     */
    private static SortedSet<String> queuesTheServiceReads(SortedSet<String> expected) {
        SortedSet<String> queues = new TreeSet<>();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<String> names = asViewer().get("/errand/dashboard").then().statusCode(200).extract().jsonPath()
                        .getList("queues.queue", String.class);
                names.forEach(name -> queues.add(queuePart(name)));
                return queues.equals(expected);
            });
        } catch (org.awaitility.core.ConditionTimeoutException differs) {
            // Compared below, where the differences are named.
        }
        return queues;
    }

    /** On Artemis a subscription's queue is read by its fully qualified name, the events address first. */
    private static String queuePart(String name) {
        int separator = name.indexOf("::");
        return separator < 0 ? name : name.substring(separator + 2);
    }

    private static SortedMap<String, Documented> documentedQueues() throws IOException {
        String page = Files.readString(RUNNING);
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            fail(RUNNING + " has no " + BEGIN + " ... " + END + " block");
        }
        SortedMap<String, Documented> queues = new TreeMap<>();
        for (String line : page.substring(begin + BEGIN.length(), end).strip().split("\n")) {
            if (line.startsWith("| Queue ") || line.startsWith("|---")) {
                continue;
            }
            Matcher row = ROW.matcher(line.strip());
            if (!row.matches() || !KINDS.contains(row.group(2))) {
                fail(RUNNING + ": a row of the queue list is not | `queue` | for | " + KINDS
                        + " | yes/no | yes/no |: " + line);
            }
            queues.put(row.group(1), new Documented(row.group(2), row.group(3).equals("yes"), row.group(4).equals("yes")));
        }
        return queues;
    }
}
