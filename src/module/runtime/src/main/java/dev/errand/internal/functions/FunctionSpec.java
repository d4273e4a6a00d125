package dev.errand.internal.functions;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A durable function as the build found it.
 *
 * @param name       its name, as in {@code errand.functions.<name>}
 * @param workflow   whether it is a {@code @DurableWorkflow}
 * @param beanClass  the class that declares the method
 * @param method     the method's name
 * @param parameters the parameters' erased types, as {@link Class#getName()} spells them
 * @param timeout    how long each call may take ({@code timeout} on its annotation), null for no limit
 * @param outsideSignals the signals a workflow takes from outside senders ({@code outsideSignals})
 */
public record FunctionSpec(String name, boolean workflow, String beanClass, String method, List<String> parameters,
        Duration timeout, List<String> outsideSignals) {

    /** Without a timeout, taking no outside signals. */
    public FunctionSpec(String name, boolean workflow, String beanClass, String method, List<String> parameters) {
        this(name, workflow, beanClass, method, parameters, null, List.of());
    }

    /** Whether outside senders may send this signal to its calls. */
    public boolean takesOutsideSignal(String signal) {
        return outsideSignals.contains(signal);
    }

    /** Every function's queue starts with this. */
    public static final String QUEUE_PREFIX = "errand.functions.";

    /** Every function's channel (its consumer) starts with this: SmallRye's channel names hold no dots. */
    public static final String CHANNEL_PREFIX = "errand-functions-";

    /** The queue its calls are sent to. */
    public String queue() {
        return queueOf(name);
    }

    /** Its {@code @Incoming} channel, which names its consumer ({@code errand.consumers.<channel>.*}). */
    public String channel() {
        return channelOf(name);
    }

    public static String queueOf(String function) {
        return QUEUE_PREFIX + function;
    }

    public static String channelOf(String function) {
        return CHANNEL_PREFIX + function.replace('.', '-');
    }

    public String encode() {
        return String.join("|", name, String.valueOf(workflow), beanClass, method, String.join(",", parameters),
                timeout == null ? "" : timeout.toString(), String.join(",", outsideSignals));
    }

    public static FunctionSpec decode(String text) {
        String[] parts = text.split("\\|", -1);
        List<String> parameters = parts[4].isEmpty() ? List.of() : Arrays.asList(parts[4].split(","));
        Duration timeout = parts[5].isEmpty() ? null : Duration.parse(parts[5]);
        List<String> signals = parts[6].isEmpty() ? List.of() : List.of(parts[6].split(","));
        return new FunctionSpec(parts[0], Boolean.parseBoolean(parts[1]), parts[2], parts[3], List.copyOf(parameters),
                timeout, signals);
    }

    /** What is wrong with the name of a signal a workflow takes from outside, or null. */
    public static String signalNameProblem(String name) {
        if (name.isEmpty() || name.length() > 120 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return "an outside signal's name is 1 to 120 letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit; was \"" + name + "\"";
        }
        return null;
    }

    /** A name that is safe in a queue name, a config key and a URL. */
    public static String nameProblem(String name) {
        if (name.isEmpty() || name.length() > 120 || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            return "a durable function's name is 1 to 120 letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit; was \"" + name + "\"";
        }
        return null;
    }
}
