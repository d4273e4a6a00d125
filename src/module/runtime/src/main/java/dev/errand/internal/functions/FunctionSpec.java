package dev.errand.internal.functions;

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
 */
public record FunctionSpec(String name, boolean workflow, String beanClass, String method, List<String> parameters) {

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
        return String.join("|", name, String.valueOf(workflow), beanClass, method, String.join(",", parameters));
    }

    public static FunctionSpec decode(String text) {
        String[] parts = text.split("\\|", -1);
        List<String> parameters = parts[4].isEmpty() ? List.of() : Arrays.asList(parts[4].split(","));
        return new FunctionSpec(parts[0], Boolean.parseBoolean(parts[1]), parts[2], parts[3], List.copyOf(parameters));
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
