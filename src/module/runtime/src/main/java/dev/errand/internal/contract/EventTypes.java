package dev.errand.internal.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Event types and subscription patterns, and how a pattern reads on each broker: an Artemis filter
 * on the AMQP subject (which Artemis names {@code JMSType} in filters) and RabbitMQ topic binding
 * keys, which agree on what matches.
 */
public final class EventTypes {

    public static final int MAX_LENGTH = 200;
    /** A subscription's durable queue is this plus the subscriber's name. */
    public static final String QUEUE_PREFIX = "errand.events.";
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

    private EventTypes() {
    }

    /** @throws IllegalArgumentException unless {@code type} is dot-separated words of letters, digits and hyphens */
    public static void requireType(String type) {
        String problem = problem(type, false);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with a pattern, in words its author can act on; null when nothing is. */
    public static String patternProblem(String pattern) {
        return problem(pattern, true);
    }

    private static String problem(String text, boolean pattern) {
        String what = pattern ? "event pattern" : "event type";
        if (text == null || text.isEmpty()) {
            return "an " + what + " is required";
        }
        if (text.length() > MAX_LENGTH) {
            return "the " + what + " '" + text.substring(0, 40) + "...' is longer than " + MAX_LENGTH + " characters";
        }
        String[] words = text.split("\\.", -1);
        for (int i = 0; i < words.length; i++) {
            boolean last = i == words.length - 1;
            if (pattern && last && (words[i].equals("*") || words[i].equals("#"))) {
                continue;
            }
            if (!WORD.matcher(words[i]).matches()) {
                return "the " + what + " '" + text + "' is not dot-separated words of letters, digits and hyphens"
                        + (pattern ? " (with * or # as its last word only)" : "");
            }
        }
        return null;
    }

    /** Whether {@code type} matches {@code pattern}, as both brokers decide it. */
    public static boolean matches(String pattern, String type) {
        if (pattern.equals("#")) {
            return true;
        }
        if (pattern.endsWith(".#")) {
            String stem = pattern.substring(0, pattern.length() - 2);
            return type.equals(stem) || type.startsWith(stem + ".");
        }
        if (pattern.equals("*")) {
            return !type.contains(".");
        }
        if (pattern.endsWith(".*")) {
            String stem = pattern.substring(0, pattern.length() - 1);
            return type.startsWith(stem) && type.length() > stem.length() && type.indexOf('.', stem.length()) < 0;
        }
        return pattern.equals(type);
    }

    /** The queues an event reaches: those of the subscriptions matching its type; none for another address. */
    public static List<String> queuesReached(EventsConfig config, String address, String type) {
        if (type == null || !address.equals(config.address())) {
            return List.of();
        }
        List<String> queues = new ArrayList<>();
        config.subscriptions().forEach((subscriber, subscription) -> {
            if (subscription.types().stream().anyMatch(pattern -> matches(pattern, type))) {
                queues.add(QUEUE_PREFIX + subscriber);
            }
        });
        return queues;
    }

    /** An Artemis filter expression matching any of the patterns (the subject is {@code JMSType} there). */
    public static String artemisFilter(List<String> patterns) {
        List<String> terms = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern.equals("#")) {
                return null;
            }
            if (pattern.equals("*")) {
                terms.add("(JMSType IS NOT NULL AND JMSType NOT LIKE '%.%')");
            } else if (pattern.endsWith(".#")) {
                String stem = pattern.substring(0, pattern.length() - 2);
                terms.add("(JMSType = '" + stem + "' OR JMSType LIKE '" + stem + ".%')");
            } else if (pattern.endsWith(".*")) {
                String stem = pattern.substring(0, pattern.length() - 1);
                // "x NOT LIKE", not "NOT x LIKE": Artemis' filter parser reads the latter as never matching.
                terms.add("(JMSType LIKE '" + stem + "%' AND JMSType NOT LIKE '" + stem + "%.%')");
            } else {
                terms.add("JMSType = '" + pattern + "'");
            }
        }
        return String.join(" OR ", terms);
    }
}
